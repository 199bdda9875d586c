"""publish watch, seen in a real browser (Debian's Chromium driven by Playwright): the pages
in spreads, an edit on the page after the save, problems pinned where they happen, and a
banner over the last good pages while the YAML is broken."""
from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys

import pytest

from conftest import FIFTH

pytestmark = pytest.mark.slow
playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
WAIT = 120_000  # ms: a build on a busy 2-core machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def watching(project, tmp_path):
    issue = project.copy_issue(FIFTH)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "publish", "watch", str(issue), "--port",
                                str(port), "--out", str(tmp_path / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    printed = re.fullmatch(rf"preview of {re.escape(str(issue))} at "
                           rf"(http://127\.0\.0\.1:{port}/[A-Za-z0-9_-]{{24}}/) \(Ctrl-C stops it\)\n",
                           first)
    assert printed, first + process.stderr.read()
    yield issue, port, process, printed[1]
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


@pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (setup.sh installs it)")
def test_preview_shows_the_pages_and_follows_every_save(watching, project):
    issue, port, process, url = watching
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(url)

        # The first build: six pages, the cover alone, then pages side by side as printed.
        page.wait_for_function("document.querySelectorAll('figure.page img').length == 6 && "
                               "[...document.images].every(i => i.complete && i.naturalWidth > 400)",
                               timeout=WAIT)
        spreads = page.eval_on_selector_all(
            ".spread", "ss => ss.map(s => [...s.querySelectorAll('figure.page')]"
                       ".map(f => Number(f.dataset.page)))")
        assert spreads == [[1], [2, 3], [4, 5], [6]]
        assert page.locator(".page.problem").count() == 0
        # What keeps the issue a proof is pinned where it is, as the check reports it.
        proof = page.locator("figure[data-page='3'] .pins li.proof").all_inner_texts()
        assert ("proof: article 'iml-training': placeholder figure (\"Dr. Jean-Pierre Gauci, "
                "Research Fellow, British...\"), no image yet [placeholder]") in proof, proof
        assert not page.locator("#banner").is_visible()
        assert re.match(r"6 pages, PDF in \d+\.\d s, checked and shown in \d+\.\d s, check passed$",
                        page.locator(".status").inner_text())
        before = page.locator("figure[data-page='2'] img").screenshot()
        old_src = page.locator("figure[data-page='2'] img").get_attribute("src")

        # An edit that overflows page 2: the new page appears, the problem pinned to page 2,
        # and a mark on page 3 where the overflowing text ends.
        project.edit(issue, "In June 2017, IOM will organize a briefing",
                     "Extra paragraph added to overflow the page. " * 40
                     + "\n\n              In June 2017, IOM will organize a briefing")
        page.wait_for_selector("figure[data-page='2'] .pins li.error", timeout=WAIT)
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth)")
        pinned = page.locator("figure[data-page='2'] .pins").inner_text()
        assert "runs past page 2 onto page 3 by" in pinned and "[overflow]" in pinned
        assert "page 2 does not fit" in pinned
        assert page.locator("figure[data-page='2']").get_attribute("class") == "page problem"
        mark = page.locator("figure[data-page='3'] .marker")
        assert mark.inner_text() == "the overflow from page 2 ends here"
        top = mark.evaluate("m => m.offsetTop / m.parentElement.offsetHeight")
        assert 0.05 < top < 0.95
        new_src = page.locator("figure[data-page='2'] img").get_attribute("src")
        overflowed = page.locator("figure.page img").count()  # the overflow added a page
        assert overflowed == 7
        assert new_src != old_src
        assert page.locator("figure[data-page='2'] img").screenshot() != before

        # A broken save: a banner naming the file and line; the last good pages stay.
        project.edit(issue, "number: 5", "number: [5")
        banner = page.locator("#banner")
        banner.wait_for(state="visible", timeout=WAIT)
        text = banner.inner_text()
        assert "This save does not build; the pages below are from the last one that did." in text
        assert f"{issue / 'issue.yaml'}:" in text and "YAML syntax" in text
        assert page.locator("figure.page img").count() == overflowed
        assert page.locator("figure[data-page='2'] img").get_attribute("src") == new_src

        # Mended: the banner goes.
        project.edit(issue, "number: [5", "number: 5")
        banner.wait_for(state="hidden", timeout=WAIT)
        assert page.locator("figure.page img").count() == overflowed
        assert page.locator("figure[data-page='2'] img").get_attribute("src") != new_src
        browser.close()

    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (130, "publish: preview stopped\n")
    assert "build failed (the preview keeps the last good pages)" in out


def test_preview_listens_on_the_loopback_interface_only(watching):
    _, port, _, _ = watching
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # sends nothing; picks the outward address
            outward = probe.getsockname()[0]
        except OSError:
            pytest.skip("this machine has no network address besides loopback")
    if outward.startswith("127."):
        pytest.skip("this machine has no network address besides loopback")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((outward, port), timeout=5).close()
    socket.create_connection(("127.0.0.1", port), timeout=5).close()


@pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (setup.sh installs it)")
def test_a_page_on_another_name_that_resolves_to_this_computer_reads_nothing(watching):
    # DNS rebinding, as an attacker does it: evil.example now resolves to 127.0.0.1.
    issue, port, _, url = watching
    token = url.rstrip("/").rsplit("/", 1)[1]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--host-resolver-rules=MAP evil.example 127.0.0.1"])
        page = browser.new_page()
        for path in [f"/{token}/state", f"/{token}/page/1/1.png", f"/{token}/"]:
            response = page.goto(f"http://evil.example:{port}{path}")
            assert response.status == 403, path
            assert str(issue) not in page.content() and "pages" not in page.content()
        response = page.goto(url + "state")
        assert response.status == 200 and str(issue) in response.text()
        browser.close()
