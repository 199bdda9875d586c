"""Benchmark of the editor's loop: medians of several rounds, measured in one run.

    .venv/bin/python bench/editor.py [--rounds 5]

- edit -> PDF in watch mode: a warm process (as `publish watch` keeps) rebuilds the 8-page
  6th issue after a one-word edit; also the time until the preview's pictures are ready;
- a no-op `publish build --all` (every issue unchanged), as a command;
- `publish --help`, as a command;
- `publish check` of the 6th issue: warm (in a process that already checked once) and as a
  command;
- a cold archive build (`build --all --force`, with --jobs 1 and with the default of one job
  per core) against Chromium printing the same composed HTML, one Chromium per issue
  (skipped with a message where chromium is absent).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PUBLISH = [sys.executable, "-m", "publish"]
SIXTH = "mmsp/2018-03"


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def project_copy() -> Path:
    """A throwaway project with the archive (the real layouts and fonts, linked)."""
    root = Path(tempfile.mkdtemp(prefix="publish-bench-editor-"))
    shutil.copytree(ROOT / "issues", root / "issues")
    (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
    (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    return root


def watch_mode(root: Path, rounds: int) -> tuple[list[float], list[float]]:
    from publish.tools.preview.builder import Preview
    issue = root / "issues" / SIXTH
    preview = Preview(issue, root / "dist")
    preview.build()  # the warm-up a watch does at start
    preview.tidy()  # as the watch does after each build, while it waits for a save
    yaml = issue / "issue.yaml"
    text = yaml.read_text()
    to_pdf, to_pages = [], []
    for i in range(rounds):
        yaml.write_text(text.replace("Today, we are witnessing", f"Today ({i}), we witness", 1))
        start = time.perf_counter()
        preview.build()
        to_pages.append(time.perf_counter() - start)
        assert preview.state.error is None, preview.state.error
        to_pdf.append(preview.state.pdf_seconds)
        preview.tidy()
    yaml.write_text(text)
    return to_pdf, to_pages


def check_times(root: Path, rounds: int) -> tuple[list[float], list[float]]:
    from publish.build import Project
    from publish.check import check
    from publish.source.load import load
    issue = root / "issues" / SIXTH
    pdf = root / "dist" / "mmsp-2018-03.pdf"
    fonts = Project.around(issue).fonts
    check(load(issue), pdf, fonts)  # warm: the libraries loaded once
    warm = []
    for _ in range(rounds):
        start = time.perf_counter()
        check(load(issue), pdf, fonts)
        warm.append(time.perf_counter() - start)
    command = [timed(PUBLISH + ["check", str(issue), "--out", "dist"], root)
               for _ in range(rounds)]
    return warm, command


def chromium_archive(root: Path) -> float | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium not found: the comparison with Chromium is skipped "
              "(setup.sh installs it)")
        return None
    from publish.build import Project
    from publish.compose.document import compose
    from publish.source.load import load
    project = Project(root)
    total = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for source in project.all_issues():
            issue = load(source)
            page = Path(folder) / f"{issue.slug}.html"
            page.write_text(compose(issue, project.layouts))
            start = time.perf_counter()
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--no-pdf-header-footer", f"--print-to-pdf={folder}/{issue.slug}.pdf",
                            page.as_uri()], check=True, capture_output=True, timeout=300)
            total += time.perf_counter() - start
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    root = project_copy()
    subprocess.run(PUBLISH + ["build", "--all", "--jobs", "1", "--out", "dist"], cwd=root,
                   check=True, stdout=subprocess.DEVNULL)
    rows = []
    to_pdf, to_pages = watch_mode(root, rounds)
    rows.append(("edit -> PDF of the 8-page 6th issue, watch mode", median(to_pdf)))
    rows.append(("edit -> pages and check on screen, watch mode", median(to_pages)))
    noop = [timed(PUBLISH + ["build", "--all", "--out", "dist"], root) for _ in range(rounds)]
    rows.append(("no-op `publish build --all` (4 issues unchanged)", median(noop)))
    helps = [timed(PUBLISH + ["--help"], root) for _ in range(rounds * 2)]
    rows.append(("`publish --help`", median(helps)))
    warm, command = check_times(root, rounds)
    rows.append(("check of the 6th issue, warm", median(warm)))
    rows.append(("`publish check` of the 6th issue, as a command", median(command)))
    cold = [timed(PUBLISH + ["build", "--all", "--force", "--jobs", "1", "--out", "cold"], root)
            for _ in range(max(1, rounds // 2))]
    rows.append(("cold archive build, `build --all --force --jobs 1`", median(cold)))
    both = [timed(PUBLISH + ["build", "--all", "--force", "--out", "cold"], root)
            for _ in range(max(1, rounds // 2))]
    rows.append(("cold archive build, `build --all --force` (one job per core)", median(both)))
    chromium = chromium_archive(root)
    if chromium is not None:
        rows.append(("Chromium printing the same composed HTML (one process per issue)",
                     chromium))
    print(f"medians of {rounds} rounds (the cold archive: {max(1, rounds // 2)}), one run:\n")
    print("| measured | seconds |\n|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} |")
    if chromium is not None:
        print(f"\ncold archive / Chromium: {median(cold) / chromium:.2f} with --jobs 1, "
              f"{median(both) / chromium:.2f} with one job per core")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
