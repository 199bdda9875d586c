"""publish diff: every page the working tree changes, against a git ref or a saved baseline.

sides.py says where the two versions of each issue come from and builds them,
publish/source/inputs.py tells when an issue's inputs are the same on both sides (then it is
neither built nor rendered), pages.py rasterises and compares the pages, and
report.py writes what changed as text and as an HTML page.
"""
from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .pages import PageDiff, Task, compare, page_count
from .sides import DiffError, Outcome, RefBroken, slug, stop_children

__all__ = ["DiffError", "IssueDiff", "Result", "RefBroken", "run"]


@dataclass
class IssueDiff:
    rel: str  # the issue folder, relative to the project: issues/<series>/<issue>
    slug: str
    state: str  # same-inputs, identical, compared, new, removed, unbuilt-before
    pages_before: int | None = None
    pages_after: int | None = None
    pages: list[PageDiff] = field(default_factory=list)
    error: str | None = None  # why the before side did not build

    @property
    def changed_pages(self) -> list[PageDiff]:
        return [p for p in self.pages if p.changed]

    @property
    def changed(self) -> bool:
        return (self.state in ("new", "removed", "unbuilt-before") or bool(self.changed_pages)
                or self.pages_before != self.pages_after)


@dataclass
class Result:
    before: str  # what the working tree was compared with, e.g. "HEAD (1ed03b5)"
    after: str
    dpi: int
    threshold: float
    issues: list[IssueDiff]
    reused: list[str] = field(default_factory=list)  # issues whose PDF came from a last build

    @property
    def changed(self) -> list[IssueDiff]:
        return [i for i in self.issues if i.changed]


def run(before, after, rels: list[str], work: Path, images: Path, *, dpi: int,
        threshold: float, jobs: int, rebuild: bool) -> Result:
    """Compare rels between the two sides; PDFs are built under work, pictures go to images.

    Raises DiffError when the after side (the working tree) fails to build an issue, and
    RefBroken when the before side builds none, for a reason that names no issue; an issue
    that fails there on its own is reported as changed, with the reason.
    """
    issues, build = [], []
    for rel in rels:
        digest_before, digest_after = before.digest(rel), after.digest(rel)
        item = IssueDiff(rel, slug(rel), "compared")
        if digest_before is None:
            item.state = "new"
        elif digest_after is None:
            item.state = "removed"
        elif digest_before == digest_after and not rebuild:
            item.state = "same-inputs"
        issues.append(item)
        if item.state != "same-inputs":
            build.append(item)

    wanted_before = [i.rel for i in build if i.state != "new"]
    wanted_after = [i.rel for i in build if i.state != "removed"]
    # The two sides build at once, each with half the jobs: two builds of one job each
    # keep two cores busy without one side waiting for the other.
    share = max(1, jobs // 2) if wanted_before and wanted_after else jobs
    with ThreadPoolExecutor(2) as pool:
        try:
            built_before = pool.submit(before.build, wanted_before, work / "before", share)
            built_after = pool.submit(after.build, wanted_after, work / "after", share)
            built_before, built_after = built_before.result(), built_after.result()
        except BaseException:  # interrupted: the builds end too, and the pool with them
            stop_children()
            raise

    failed = [(rel, o.error) for rel, o in built_after.items() if o.pdf is None]
    if failed:
        raise DiffError("\n".join(f"{rel}: {error}" if rel not in error else error
                                  for rel, error in failed))
    unbuilt = {rel: o.error for rel, o in built_before.items() if o.pdf is None}
    if built_before and all(o.pdf is None and o.general for o in built_before.values()):
        raise RefBroken(before.label, sorted(set(unbuilt.values())))

    tasks, owners = [], []
    for item in build:
        pdf_before = built_before.get(item.rel, Outcome(None)).pdf
        pdf_after = built_after.get(item.rel, Outcome(None)).pdf
        if item.rel in unbuilt:
            item.state, item.error = "unbuilt-before", unbuilt[item.rel]
        item.pages_before = page_count(pdf_before) if pdf_before else None
        item.pages_after = page_count(pdf_after) if pdf_after else None
        if pdf_before and pdf_after and _same_bytes(pdf_before, pdf_after):
            item.state = "identical"
            continue
        for index in range(max(item.pages_before or 0, item.pages_after or 0)):
            tasks.append(Task(pdf_before, pdf_after, index, dpi, threshold, images,
                              f"{item.slug}-p{index + 1}"))
            owners.append(item)
    for item, page in zip(owners, compare(tasks, jobs)):
        item.pages.append(page)
    return Result(before.label, after.label, dpi, threshold, issues,
                  [slug(rel) for rel in getattr(after, "reused", [])])


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()


MARKER = ".publish-diff"  # in every report folder: replacing it loses nothing of anyone's
_MARKER_TEXT = "A report written by publish diff; the next diff with this --out replaces it.\n"


def check_report_folder(target: Path) -> None:
    """Raise DiffError unless target may be replaced by a report: absent, an empty folder,
    or a report publish wrote (its marker, or only the index.html and img/ of one written
    before reports carried the marker)."""
    if not target.exists() and not target.is_symlink():
        return
    why = None
    if target.is_symlink() or not target.is_dir():
        why = "not a folder" if not target.is_symlink() else "a symbolic link"
    else:
        entries = {p.name: p for p in target.iterdir()}
        if entries and MARKER not in entries and not _old_report(entries):
            shown = ", ".join(sorted(entries)[:3]) + (", ..." if len(entries) > 3 else "")
            why = f"a folder publish did not write (it holds {shown})"
    if why:
        raise DiffError(f"{target}: {why}; the report replaces its folder whole, so it is "
                        "written only into an empty folder or a report of its own: name "
                        "another with --out")


def _old_report(entries: dict[str, Path]) -> bool:
    img = entries.get("img")
    return (set(entries) <= {"index.html", "img"} and "index.html" in entries
            and entries["index.html"].is_file() and not entries["index.html"].is_symlink()
            and (img is None or (img.is_dir() and not img.is_symlink() and all(
                p.suffix == ".png" and p.is_file() for p in img.iterdir()))))


def replace_folder(target: Path, fill) -> None:
    """Write a report folder whole: fill(staging) in a sibling folder, then swap it in.
    Only a folder check_report_folder allows is replaced."""
    check_report_folder(target)
    made = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the report from a web server
        fill(staging)
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # nothing written on a failure, not even an empty dist/
            try:
                folder.rmdir()
            except OSError:
                break
        raise
