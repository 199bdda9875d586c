"""publish watch keeps watching: a folder that disappears, no file descriptor left, the
output folder inside a watched one, a save that builds for ever, and fonts that change
under the warm process (which must not write a PDF of wrong glyphs)."""
from __future__ import annotations

import http.client
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import FIFTH, ROOT
from publish.tools.preview import Preview
from test_hostile import _slow_issue


def test_a_folder_disappearing_while_polled_is_simply_gone(project):
    issue = project.copy_issue(FIFTH)
    preview = Preview(issue, project.root / "dist")
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            deep = issue / "drafts" / "a" / "b" / "c"
            deep.mkdir(parents=True, exist_ok=True)
            for n in range(20):
                (deep / f"{n}.txt").write_text("x")
            shutil.rmtree(issue / "drafts", ignore_errors=True)
    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for _ in range(300):
            seen = preview.snapshot()
            assert str(issue / "issue.yaml") in seen
    finally:
        stop.set()
        worker.join()


def test_a_poll_with_no_file_descriptor_left_is_tried_again(project):
    issue = project.copy_issue(FIFTH)
    preview = Preview(issue, project.root / "dist")
    last = preview.snapshot()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    held = []
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        with pytest.raises(OSError):
            while True:
                held.append(os.open(os.devnull, os.O_RDONLY))
        assert preview._poll(last) is last  # nothing known to have changed
    finally:
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert preview._poll({}) == last


def test_the_output_folder_inside_a_watched_folder_is_not_watched(project):
    issue = project.copy_issue(FIFTH)
    preview = Preview(issue, issue / "proofs")
    before = preview.snapshot()
    (issue / "proofs").mkdir()
    (issue / "proofs" / "mmsp-test.pdf").write_bytes(b"%PDF- a build's output")
    assert preview.snapshot() == before  # so a build does not start the next one
    (issue / "photo-notes.txt").write_text("an edit")
    assert preview.snapshot() != before


@pytest.mark.slow
def test_a_save_that_builds_for_ever_gives_up_and_the_next_save_is_built(project, tmp_path):
    issue = _slow_issue(project, "slow", 1500)
    preview = Preview(issue, tmp_path / "out", timeout=1)
    start = time.monotonic()
    preview.build()
    assert time.monotonic() - start < 10
    assert preview.state.error.startswith(f"{issue}: gave up after 1 s (--timeout); this save "
                                          "is too large for its pages")
    assert not preview.state.building and not (tmp_path / "out").exists()
    (issue / "issue.yaml").write_text(
        "number: 1\ndate: 2020-01\npages:\n  - page: 1\n    blocks:\n"
        "      - article: {id: a, title: Story, body: Text.}\n")
    preview.timeout = 60  # a cold process's first good build may take more than a second
    preview.build()
    assert preview.state.error is None and preview.state.good == preview.state.version == 2


def _state(url: str) -> dict:
    host, rest = url.removeprefix("http://").split("/", 1)
    connection = http.client.HTTPConnection(host, timeout=60)
    connection.request("GET", f"/{rest}state?since=-1")
    return json.loads(connection.getresponse().read())


def _wait(url: str, test, seconds: float = 120) -> dict:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        state = _state(url)
        if test(state):
            return state
        time.sleep(0.3)
    raise AssertionError(f"not reached: {state}")


@pytest.mark.slow
def test_fonts_changed_under_the_warm_process_are_not_used_for_a_pdf(tmp_path, project):
    # A fonts folder of its own (links to the real files) in which one font is swapped.
    (project.root / "fonts").unlink()
    (project.root / "fonts").mkdir()
    for font in (ROOT / "fonts").iterdir():
        (project.root / "fonts" / font.name).symlink_to(font)
    issue = project.copy_issue(FIFTH)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "publish", "watch", str(issue), "--port",
                                "0", "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"at (http://\S+/) ", process.stdout.readline())[1]
        first = _wait(url, lambda s: s["version"] >= 1)
        assert first["error"] is None, first
        pdf = out / "mmsp-test.pdf"
        written = pdf.read_bytes()
        bold = project.root / "fonts" / "NotoSans-Bold.ttf"
        bold.unlink()
        bold.symlink_to(ROOT / "fonts" / "NotoSans-Regular.ttf")
        state = _wait(url, lambda s: s["version"] >= 2)
        assert state["error"].startswith("a font in fonts/ changed since publish watch started; "
                                         "this process cannot take the new fonts: stop it")
        project.edit(issue, "number: 5", "number: 5 ")  # a later save: still not built
        state = _wait(url, lambda s: s["version"] >= 3)
        assert "a font in fonts/ changed" in state["error"]
        assert pdf.read_bytes() == written  # the last good PDF stays
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert "Traceback" not in err
