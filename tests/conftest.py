"""Shared fixtures: real builds of real issues, in temporary projects when a test edits one."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from publish.build import build
from publish.check import check

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).parent / "reference"
FIFTH = ROOT / "issues" / "mmsp" / "2017-05"


def pdftext(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """Text as a reader's tool gets it (poppler's pdftotext)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run(args + [str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def words(text: str) -> Counter:
    """Words for coverage: lower case, quotes and dashes folded, Chinese by character."""
    text = text.replace("\u00ad", "").replace("\u2010", "-").replace("’", "'").replace("‘", "'")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # words hyphenated at a line end
    tokens = re.findall(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?|[\u4e00-\u9fff]", text)
    return Counter(t.lower() for t in tokens)


def coverage(reference: str, produced: str) -> tuple[float, list[str]]:
    want, have = words(reference), words(produced)
    missing = want - have
    total = sum(want.values())
    return 1 - sum(missing.values()) / total, sorted(missing)


class TempProject:
    """A project folder of its own that shares the real layouts and fonts."""

    def __init__(self, root: Path):
        self.root = root
        (root / "issues").mkdir(parents=True)
        (root / "layouts").symlink_to(ROOT / "layouts", target_is_directory=True)
        (root / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)

    def copy_issue(self, source: Path, series: str = "mmsp", name: str = "test") -> Path:
        series_dir = self.root / "issues" / series
        series_dir.mkdir(exist_ok=True)
        if not (series_dir / "series.yaml").exists():
            shutil.copy(source.parent / "series.yaml", series_dir / "series.yaml")
        target = series_dir / name
        shutil.copytree(source, target)
        return target

    def edit(self, issue: Path, old: str, new: str, count: int = 1) -> None:
        path = issue / "issue.yaml"
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, count))


def pytest_addoption(parser):
    parser.addoption("--all-variants", action="store_true",
                     help="build every archive page made longer and shorter "
                          "(tests/test_variants.py), not only a sample")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--all-variants"):
        return
    skip = pytest.mark.skip(reason="one of every page's variants: run with --all-variants")
    for item in items:
        if "all_variants" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def project(tmp_path) -> TempProject:
    return TempProject(tmp_path / "project")


@pytest.fixture(scope="session")
def fifth(tmp_path_factory):
    """The 5th issue, built once for the session: (Built, Report)."""
    out = tmp_path_factory.mktemp("dist")
    built = build(FIFTH, out)
    report = check(built.issue, built.pdf, ROOT / "fonts", built.rendered.missing_glyphs)
    return built, report


def build_and_check(source: Path, out: Path):
    built = build(source, out)
    return built, check(built.issue, built.pdf, ROOT / "fonts", built.rendered.missing_glyphs)
