"""What the screen edition costs: medians of several rounds, measured in one run.

    .venv/bin/python bench/screen.py [--rounds 3]

For each archive issue, in one warm process (fonts loaded, as `build --all` workers are):
building and checking print alone, the screen edition alone, and both (`--edition all`);
and each screen file's size.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from publish.build import Project, build_editions
    from publish.check import check
    issues = Project(ROOT).all_issues()
    with tempfile.TemporaryDirectory() as out:
        out = Path(out)
        build_editions(issues[0], out, editions=("print", "screen"))  # warm up
        print(f"{'issue':<16} {'print':>7} {'screen':>7} {'both':>7}  screen file")
        for source in issues:
            times = {}
            for name, editions in (("print", ("print",)), ("screen", ("screen",)),
                                   ("both", ("print", "screen"))):
                rounds = []
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    for built in build_editions(source, out, editions=editions):
                        check(built.issue, built.pdf, ROOT / "fonts",
                              built.rendered.missing_glyphs, edition=built.edition)
                    rounds.append(time.perf_counter() - start)
                times[name] = statistics.median(rounds)
            screen = next(out.glob(f"*{source.name}-screen.pdf"))
            print(f"{source.parent.name + '/' + source.name:<16} {times['print']:>6.2f}s "
                  f"{times['screen']:>6.2f}s {times['both']:>6.2f}s  "
                  f"{screen.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
