"""The two sides of a diff: the working tree, a git ref, or a saved baseline.

Each side is built by its own publish: a ref whose tree holds publish/ is built by
that code (so a change to the pipeline shows up as a change in pages), any other
project by the publish that is running. Builds run as `python -m publish build`
in a child process, in the side's folder, so two versions of the package never
share an interpreter.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ...errors import PublishError
from ...project import ISSUE_FILE, SERIES_FILE, pdf_name, slug
from ...source.inputs import Digests

MANIFEST = "manifest.json"
# What a build reads from a project; nothing else is exported from a ref.
PROJECT_PARTS = ("issues", "layouts", "fonts", "publish", "pyproject.toml")


class DiffError(PublishError):
    """Bad input to a diff: a ref that is not a commit, a folder that is not a baseline."""


@dataclass
class Outcome:
    """One issue built on one side: its PDF, or why there is none."""

    pdf: Path | None
    error: str | None = None
    general: bool = False  # the error names no issue: the project as a whole did not build


class ProjectSide:
    """A project folder: the working tree, or a ref exported into a temporary folder."""

    def __init__(self, root: Path, label: str, commit: str | None = None,
                 built: Path | None = None):
        self.root = root
        self.label = label
        self.commit = commit  # for a ref: its messages name files as git does, commit:path
        self.built = built  # where `publish build` left PDFs that may still be current
        self.reused: list[str] = []
        own = root / "publish" / "__init__.py"
        self.own_publish = own.is_file()
        builder = own.parent if self.own_publish else Path(__file__).resolve().parents[2]
        self.digests = Digests(root, builder)

    def issues(self) -> list[str]:
        return sorted(p.parent.relative_to(self.root).as_posix()
                      for p in self.root.glob(f"issues/*/*/{ISSUE_FILE}")
                      if (p.parent.parent / SERIES_FILE).is_file())

    def has(self, rel: str) -> bool:
        return (self.root / rel / ISSUE_FILE).is_file()

    def digest(self, rel: str) -> str | None:
        return self.digests.issue(rel) if self.has(rel) else None

    def build(self, rels: list[str], out: Path, jobs: int) -> dict[str, Outcome]:
        outcomes = self._current(rels)
        self.reused = sorted(outcomes)
        return outcomes | self._build([r for r in rels if r not in outcomes], out, jobs)

    def _current(self, rels: list[str]) -> dict[str, Outcome]:
        """PDFs that `publish build` wrote and whose inputs and bytes are as it recorded
        (its manifest beside them): the same PDFs a build would make now."""
        if self.built is None or not rels:
            return {}
        from ...cli.manifest import Manifest
        manifest = Manifest(self.built)
        return {rel: Outcome(self.built / pdf_name(slug(rel))) for rel in rels
                if manifest.unchanged(self.root / rel, self.built,
                                      manifest.inputs(self.root / rel))}

    def _build(self, rels: list[str], out: Path, jobs: int) -> dict[str, Outcome]:
        if not rels:
            return {}
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        if self.own_publish:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.root),
                                                              env.get("PYTHONPATH")]))
        env.pop("PUBLISH_DEBUG", None)  # a traceback would hide the one-line message
        done = _run_child(
            [sys.executable, "-m", "publish", "build", *rels, "--out", str(out), "--no-check",
             "--jobs", str(max(1, min(jobs, len(rels))))], cwd=self.root, env=env)
        errors = _messages(done.stderr)
        if self.commit:
            errors = [e.replace(f"{self.root.resolve()}/", f"{self.commit[:7]}:") for e in errors]
        outcomes = {}
        for rel in rels:
            pdf = out / pdf_name(slug(rel))
            if pdf.is_file():
                outcomes[rel] = Outcome(pdf)
                continue
            own = [e for e in errors if rel in e]
            general = own or errors or [
                f"publish build exited with {done.returncode} and wrote no PDF"]
            # Exit code 3 (or a traceback's 1) is publish itself failing, not the issue.
            outcomes[rel] = Outcome(None, "\n".join(own or general),
                                    general=not own or done.returncode not in (1, 2))
        return outcomes


_children: set[subprocess.Popen] = set()  # the builds running now, for stop_children()
_lock = threading.Lock()


def _run_child(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """Run a build to its end; it ends with this process too, however this one ends."""
    from ...children import end_with_parent
    with _lock:
        child = subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 preexec_fn=end_with_parent)
        _children.add(child)
    try:
        out, err = child.communicate()
    except BaseException:  # interrupted here: the build ends before its folder is removed
        child.terminate()
        child.wait()
        raise
    finally:
        with _lock:
            _children.discard(child)
    return subprocess.CompletedProcess(args, child.returncode, out, err)


def stop_children() -> None:
    """End every build still running (an interrupted diff); each removes what it wrote."""
    with _lock:
        running = list(_children)
    for child in running:
        try:
            child.terminate()
        except OSError:
            pass


def _messages(stderr: str) -> list[str]:
    """A build's error messages, each with its hint lines, without the 'publish: ' prefix."""
    messages: list[str] = []
    for line in stderr.splitlines():
        if line.startswith("publish: ") or not messages:
            messages.append(line.removeprefix("publish: "))
        elif line.strip():
            messages[-1] += "\n" + line
    # Of a traceback (a publish too broken to report its own errors) its last line says it.
    return [m.splitlines()[-1] if m.startswith("Traceback") else m for m in messages]


class BaselineSide:
    """Approved PDFs saved by `publish diff --save DIR`, with the digests they were built from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.label = f"baseline {folder}"
        manifest = folder / MANIFEST
        try:
            self.entries = json.loads(manifest.read_text(encoding="utf-8"))["issues"]
            assert isinstance(self.entries, dict)
        except FileNotFoundError:
            raise DiffError(f"{folder}: not a baseline (no {MANIFEST}); save one with "
                            f"'publish diff --save {folder}'") from None
        except (ValueError, KeyError, TypeError, AssertionError):
            raise DiffError(f"{manifest}: not a baseline manifest written by "
                            "'publish diff --save'") from None

    def issues(self) -> list[str]:
        return sorted(self.entries)

    def has(self, rel: str) -> bool:
        return rel in self.entries

    def digest(self, rel: str) -> str | None:
        return self.entries[rel].get("digest") if rel in self.entries else None

    def build(self, rels: list[str], out: Path, jobs: int) -> dict[str, Outcome]:
        outcomes = {}
        for rel in rels:
            pdf = self.folder / str(self.entries[rel].get("pdf", ""))
            outcomes[rel] = Outcome(pdf) if pdf.is_file() and pdf.suffix == ".pdf" else \
                Outcome(None, f"{pdf}: the baseline's PDF is missing")
        return outcomes


def save_baseline(folder: Path, side: ProjectSide, built: dict[str, Outcome]) -> None:
    """Copy the PDFs into folder and record what they were built from; keep other issues."""
    from ...write import atomic
    manifest = folder / MANIFEST
    entries = {}
    if manifest.is_file():
        entries = BaselineSide(folder).entries
    for rel, outcome in built.items():
        name = pdf_name(slug(rel))
        data = outcome.pdf.read_bytes()
        atomic(folder / name, lambda f, data=data: f.write(data))
        entries[rel] = {"slug": slug(rel), "pdf": name, "digest": side.digest(rel)}
    text = json.dumps({"issues": dict(sorted(entries.items()))}, indent=2) + "\n"
    atomic(manifest, lambda f: f.write(text.encode()))


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    if done.returncode:
        raise DiffError(done.stderr.strip().splitlines()[-1] if done.stderr.strip()
                        else f"git {' '.join(args)} failed")
    return done.stdout.strip()


def export_ref(ref: str, project: Path, into: Path) -> ProjectSide:
    """The project as it was at ref, written into the empty folder into (git archive)."""
    try:
        top = Path(git("rev-parse", "--show-toplevel", cwd=project))
    except (DiffError, FileNotFoundError):
        raise DiffError(f"{project}: not in a git repository, so there is no ref to compare "
                        "with; use --baseline DIR for renders saved with --save DIR") from None
    commit = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                            cwd=project, capture_output=True, text=True).stdout.strip()
    if not commit:
        raise DiffError(f"--against {ref}: not a commit in {top}")
    prefix = project.resolve().relative_to(top.resolve()).as_posix()
    tree = commit if prefix == "." else f"{commit}:{prefix}"
    try:
        present = set(git("ls-tree", "--name-only", tree, cwd=project).splitlines())
    except DiffError:
        present = set()
    label = f"{ref} ({commit[:7]})" if not commit.startswith(ref) else commit[:7]
    missing = [part for part in ("issues", "layouts", "fonts") if part not in present]
    if missing:
        raise RefBroken(label, [f"{prefix}/{m}: not in that commit" if prefix != "." else
                                f"{m}/: not in that commit" for m in missing])
    paths = [part if prefix == "." else f"{prefix}/{part}"
             for part in PROJECT_PARTS if part in present]
    with subprocess.Popen(["git", "archive", "--format=tar", commit, "--", *paths], cwd=project,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as archive:
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            tar.extractall(into, filter="data")
        failed = archive.wait()
    if failed:
        raise DiffError(f"git archive {commit[:7]} failed: "
                        f"{archive.stderr.read().decode(errors='replace').strip()}")
    return ProjectSide(into / prefix if prefix != "." else into, label, commit)


class RefBroken(DiffError):
    """The project at a ref cannot be built at all, so there is nothing to compare with."""

    def __init__(self, label: str, reasons: list[str]):
        self.label = label
        super().__init__(f"{label}: the project fails to build there, so there is nothing to "
                         "compare with:\n" + "\n".join(f"  {r}" for r in reasons))
