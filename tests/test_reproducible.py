"""The same commit built in another folder gives the same bytes (the PDF's document ID
hashes the composed document with the project's folders written as names)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import FIFTH, ROOT

pytestmark = pytest.mark.slow  # every test here renders


def _copy_project(target):
    (target / "issues" / "mmsp").mkdir(parents=True)
    shutil.copy(FIFTH.parent / "series.yaml", target / "issues" / "mmsp" / "series.yaml")
    shutil.copytree(FIFTH, target / "issues" / "mmsp" / FIFTH.name)
    shutil.copytree(ROOT / "layouts", target / "layouts")
    shutil.copytree(ROOT / "fonts", target / "fonts")
    return target


def test_two_checkouts_in_different_folders_give_the_same_bytes(tmp_path):
    pdfs = []
    for folder in (tmp_path / "a", tmp_path / "checkout-in-a-longer-folder-name"):
        project = _copy_project(folder)
        # One process per checkout: a process renders with one fonts folder.
        subprocess.run([sys.executable, "-m", "publish", "build", "issues/mmsp/2017-05",
                        "--out", "out", "--no-check", "--edition", "all"], cwd=project,
                       check=True, capture_output=True)
        pdfs.append([(project / "out" / name).read_bytes()
                     for name in ("mmsp-2017-05.pdf", "mmsp-2017-05-screen.pdf")])
    for edition in (0, 1):  # print, screen
        assert str(tmp_path).encode() not in pdfs[0][edition]
        assert pdfs[0][edition] == pdfs[1][edition]
