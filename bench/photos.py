"""Benchmark: the colour step. Converting an A4 photo at 300 ppi (2480 x 3508 px, RGB JPEG)
to the base layout's FOGRA39 profile, the same from the cache, and the photo test issue
(13 images) built with no converted image kept and again. Medians of several rounds.

    .venv/bin/python bench/photos.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "photos" / "2026-12"))


def median(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s (of {len(times)}: " + \
        ", ".join(f"{t:.2f}" for t in times) + ")"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    os.environ["TMPDIR"] = tempfile.mkdtemp(prefix="bench-photos-")
    tempfile.tempdir = None
    import make
    from PIL import Image
    from publish import colour
    from publish.build import build
    from publish.layout import resolve

    target = colour.print_target(resolve(ROOT / "layouts", "base"))
    source = Path(os.environ["TMPDIR"]) / "a4.jpg"
    Image.fromarray(make.scene(2480, 3508, 1)).save(source, quality=90)
    frame = colour.Frame(height_mm=297, max_width_mm=210)
    print(f"profile {target.profile.name}, ink limit {target.ink_limit:g} %")
    cold, warm = [], []
    for _ in range(rounds):
        shutil.rmtree(colour.private_folder())
        start = time.perf_counter()
        colour.prepare(source, target, frame)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        colour.prepare(source, target, frame)
        warm.append(time.perf_counter() - start)
    print(f"A4 photo at 300 ppi, converted:  {median(cold)}")
    print(f"A4 photo at 300 ppi, from cache: {median(warm)}")
    issue = ROOT / "tests" / "photos" / "2026-12"
    out = Path(os.environ["TMPDIR"]) / "out"
    build(issue, out)  # start-up and fonts, once
    fresh, cached = [], []
    for _ in range(rounds):
        shutil.rmtree(colour.private_folder())
        start = time.perf_counter()
        build(issue, out)
        fresh.append(time.perf_counter() - start)
        start = time.perf_counter()
        build(issue, out)
        cached.append(time.perf_counter() - start)
    print(f"photo issue (13 images), converting every image: {median(fresh)}")
    print(f"photo issue (13 images), all from the cache:     {median(cached)}")
    shutil.rmtree(os.environ["TMPDIR"])


if __name__ == "__main__":
    main()
