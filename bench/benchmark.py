"""Benchmark: time each stage of building the archive, and one process for the whole archive
against one process per issue. Medians of several rounds, measured in one run.

    .venv/bin/python bench/benchmark.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# render: at the layout's own setting (no fit); fit: the fit stage with nothing remembered
# (its renders, trials and final, included); warm: the fit stage again, its settings
# remembered (one render); write and check: the fitted PDF.
STAGES = ("load", "compose", "render", "fit", "warm", "write", "check")


STARTUP = """
from pathlib import Path
from publish.build import Project
from publish.check import check
from publish.compose.document import compose
from publish.source.load import load
from publish.render.driver import renderer
renderer(Project(Path({root!r})).fonts)
"""


def in_process(rounds: int) -> tuple[dict[str, dict[str, list[float]]], list[float], float]:
    # Start-up (imports, fonts) in a fresh process: this one has already checked a PDF.
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", STARTUP.format(root=str(ROOT))], check=True, cwd=ROOT)
    startup = time.perf_counter() - start - _bare_python()
    from publish.build import Project
    from publish.check import check
    from publish.compose.document import compose
    from publish.source.load import load
    from publish.render.driver import renderer
    project = Project(ROOT)
    renderer(project.fonts)
    times: dict[str, dict[str, list[float]]] = {}
    totals: list[float] = []
    out = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    from publish.build import fit_issue
    from publish.fit import memory
    from publish.render.patches import linebreaks, pdfstreams
    for _ in range(rounds):
        # Each round as one fresh process would build the archive: the lines and streams a
        # process remembers (what makes a watch's rebuild fast) are forgotten between rounds.
        linebreaks.forget()
        pdfstreams.memory.kept.clear()
        pdfstreams.memory.size = 0
        round_start = time.perf_counter()
        extra = 0.0  # the unfitted render and the warm fit: not part of a build
        for source in project.all_issues():
            stage = times.setdefault(source.parent.name + "/" + source.name,
                                     {s: [] for s in STAGES})
            t0 = time.perf_counter()
            issue = load(source)
            t1 = time.perf_counter()
            html = compose(issue, project.layouts)
            t2 = time.perf_counter()
            renderer(project.fonts).render(html, issue.folder, [project.layouts, issue.folder])
            t3 = time.perf_counter()
            memory.forget()
            linebreaks.forget()
            rendered = fit_issue(issue, project).rendered
            t4 = time.perf_counter()
            fit_issue(issue, project)
            t5 = time.perf_counter()
            pdf = out / f"{issue.slug}.pdf"
            with open(pdf, "wb") as f:
                rendered.write_pdf(f)
            t6 = time.perf_counter()
            check(issue, pdf, project.fonts, rendered.missing_glyphs)
            t7 = time.perf_counter()
            for name, seconds in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4,
                                              t6 - t5, t7 - t6)):
                stage[name].append(seconds)
            extra += (t3 - t2) + (t5 - t4)
        totals.append(time.perf_counter() - round_start - extra)
    return times, totals, startup


def _bare_python() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def per_process(rounds: int) -> list[float]:
    """What a naive script does: a fresh `publish build` per issue."""
    from publish.build import Project
    issues = Project(ROOT).all_issues()
    out = tempfile.mkdtemp(prefix="publish-bench-")
    totals = []
    for _ in range(rounds):
        start = time.perf_counter()
        for source in issues:
            subprocess.run([sys.executable, "-m", "publish", "build", str(source), "--out", out],
                           check=True, capture_output=True, cwd=ROOT)
        totals.append(time.perf_counter() - start)
    return totals


def parallel(rounds: int, jobs: int) -> list[float]:
    """`publish build --all --jobs N`: one process per worker, each building its share."""
    out = tempfile.mkdtemp(prefix="publish-bench-")
    totals = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "publish", "build", "--all", "--force", "--jobs",
                        str(jobs), "--out", out], check=True, capture_output=True, cwd=ROOT)
        totals.append(time.perf_counter() - start)
    return totals


def check_timing(rounds: int, source: Path = ROOT / "issues" / "mmsp" / "2018-03") -> None:
    """`publish check` of one issue (the 8-page 6th by default): in one warm process (imports
    done, one check run first), and as a whole command, each the median of its rounds."""
    from publish.build import Project, build
    from publish.check import check
    out = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    built = build(source, out)
    fonts = Project(ROOT).fonts
    check(built.issue, built.pdf, fonts)
    # Wall-clock time and CPU time: on a shared machine the first includes waiting for a core.
    warm, warm_cpu = [], []
    for _ in range(max(rounds, 5)):
        start, cpu = time.perf_counter(), time.process_time()
        check(built.issue, built.pdf, fonts)
        warm.append(time.perf_counter() - start)
        warm_cpu.append(time.process_time() - cpu)
    command, command_cpu = [], []
    for _ in range(max(rounds, 5)):
        start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-m", "publish", "check", str(source), "--pdf",
                        str(built.pdf)], capture_output=True, cwd=ROOT)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        command.append(time.perf_counter() - start)
        command_cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    name = source.parent.name + "/" + source.name
    print(f"publish check {name} ({built.rendered.page_count} pages), medians of "
          f"{len(warm)} runs (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"  in one warm process   {statistics.median(warm):6.3f} s  "
          f"({statistics.median(warm_cpu):.3f} s CPU)")
    print(f"  as a whole command    {statistics.median(command):6.3f} s  "
          f"({statistics.median(command_cpu):.3f} s CPU)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check-only", action="store_true",
                        help="time only `publish check` of the 6th issue")
    args = parser.parse_args()
    check_timing(args.rounds)
    if args.check_only:
        return
    print()
    times, totals, startup = in_process(args.rounds)
    print(f"one process: start-up (imports, fonts) {startup:.2f} s; medians of {args.rounds} rounds\n")
    print(f"{'issue':<16}" + "".join(f"{s:>9}" for s in STAGES) + f"{'total':>9}")
    for name, stage in times.items():
        medians = [statistics.median(stage[s]) for s in STAGES]
        print(f"{name:<16}" + "".join(f"{m:>8.2f}s" for m in medians) + f"{sum(medians):>8.2f}s")
    render = sum(statistics.median(stage["render"]) for stage in times.values())
    fit = sum(statistics.median(stage["fit"]) for stage in times.values())
    warm = sum(statistics.median(stage["warm"]) for stage in times.values())
    print(f"\nlayout of the archive: {render:.2f} s at the layout's setting, {fit:.2f} s "
          f"fitted with nothing remembered ({fit / render:.2f}x), {warm:.2f} s with the "
          f"settings remembered ({warm / render:.2f}x)")
    archive = statistics.median(totals)
    separate = statistics.median(per_process(args.rounds))
    jobs = os.cpu_count() or 1
    together = statistics.median(parallel(args.rounds, jobs))
    print(f"\narchive ({len(times)} issues), build and check:")
    print(f"  one process for all issues   {archive + startup:6.2f} s (median round {archive:.2f} s + start-up)")
    print(f"  one process per issue        {separate:6.2f} s")
    print(f"  `build --all --jobs {jobs}`        {together:6.2f} s")
    print(f"  one process per issue / one process:   {separate / (archive + startup):.2f}x")
    print(f"  one process / --jobs {jobs}:               {(archive + startup) / together:.2f}x")


if __name__ == "__main__":
    main()
