"""Hostile input and failures: text stays text, rendering reads nothing outside the project,
and a failed, killed or concurrent build never loses the last good PDF."""
from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIFTH, ROOT
from publish.build import build
from publish.cli import main
from publish.errors import RenderError

pytestmark = pytest.mark.slow  # every test here renders

INJECTIONS = [
    "<script>alert('x')</script>",
    '<img src="file:///etc/passwd">',
    "{{ 7*7 }} and {% if true %}yes{% endif %}",
    "</style><style>body { display: none }</style>",
    "url(file:///etc/passwd) @import 'https://example.org/x.css';",
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_html_template_and_css_in_yaml_appear_literally(project, tmp_path):
    issue = project.copy_issue(FIFTH)
    body = "\n\n              ".join(f"Injected: {s}" for s in INJECTIONS)
    project.edit(issue, "On 1 April 2017, China rolled out", body + "\n\n              On 1 April 2017, China rolled out")
    project.edit(issue, "title: NEW FOREIGN WORK PERMIT TO EASE ADMINISTRATIVE PROCEDURES",
                 "title: \"NEW <b>WORK</b> PERMIT {{ 6*7 }}\"\n          index_title: NEW FOREIGN WORK PERMIT TO EASE ADMINISTRATIVE PROCEDURES")
    built = build(issue, tmp_path)
    reader = PdfReader(built.pdf)
    text = " ".join(" ".join(reader.pages[i].extract_text() for i in (1, 2)).split())
    # Printed with the typographer's marks (curly quotes; a URL's zero-width breaks and
    # non-breaking hyphens), and otherwise exactly as typed.
    text = re.sub("[\u2018\u2019]", "'", re.sub("[\u201c\u201d]", '"', text))
    text = text.replace("\u200b", "").replace("\u2011", "-")
    flat = "".join(text.split())  # a line may break after "%}" at one size and not another
    for s in INJECTIONS:
        assert "".join(s.split()) in flat, s
    assert "NEW <b>WORK</b> PERMIT {{ 6*7 }}" in text
    assert "42" not in text.split("PERMIT")[1][:10]
    assert built.rendered.fetched and all(
        u.startswith("data:") or u.startswith((ROOT / "layouts").resolve().as_uri())
        for u in built.rendered.fetched)


def test_a_normal_render_reads_only_inside_the_project(fifth):
    built, _ = fifth
    allowed = ((ROOT / "layouts").resolve().as_uri(), FIFTH.resolve().as_uri(), "data:")
    assert built.rendered.fetched
    for url in built.rendered.fetched:
        assert url.startswith(allowed), url


def hostile_layout(project, css: str = "", template: str = "") -> Path:
    """A project whose own 'mmsp' layout extends the real base with something hostile."""
    (project.root / "layouts").unlink()
    layouts = project.root / "layouts"
    layouts.mkdir()
    shutil.copytree(ROOT / "layouts" / "base", layouts / "base")
    (layouts / "mmsp").mkdir()
    (layouts / "mmsp" / "layout.yaml").write_text("extends: base\nstylesheets: [evil.css]\n")
    (layouts / "mmsp" / "evil.css").write_text(css)
    if template:
        (layouts / "mmsp" / "blocks").mkdir()
        (layouts / "mmsp" / "blocks" / "banner.html").write_text(template)
    return project.copy_issue(FIFTH)


def test_layout_reading_a_file_outside_the_project_is_refused(project, tmp_path, capsys):
    issue = hostile_layout(project, css=".banner { background: url(file:///etc/hostname); }")
    code = main(["build", str(issue), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "refused to read file:///etc/hostname: only files inside the project's layouts and " \
           "fonts and the issue's folder may be read" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_layout_fetching_from_the_network_is_refused_without_a_request(project, tmp_path):
    issue = hostile_layout(project, css="@import url(https://example.org/tracker.css);")
    try:
        build(issue, tmp_path)
    except RenderError as e:
        assert str(e) == ("refused to read https://example.org/tracker.css: nothing is fetched "
                          "from the network while rendering")
    else:
        raise AssertionError("the network stylesheet was not refused")


def test_template_image_outside_the_project_is_refused(project, tmp_path):
    issue = hostile_layout(project, template='<img src="/etc/hostname">')
    try:
        build(issue, tmp_path)
    except RenderError as e:
        assert "refused to read file:///etc/hostname" in str(e)
    else:
        raise AssertionError("the template's image was not refused")


def test_layout_svg_reading_a_file_outside_the_project_is_refused(project, tmp_path, capsys):
    """An SVG fetches its own images only as the PDF is drawn: refused all the same."""
    issue = hostile_layout(project, css=".banner { background: url(mark.svg); }")
    (project.root / "layouts" / "mmsp" / "mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="20" height="20"><image width="20" height="20" xlink:href="file:///etc/hostname"/>'
        '<rect width="5" height="5"/></svg>')
    code = main(["build", str(issue), "--out", str(tmp_path / "out")])
    assert code == 2
    assert capsys.readouterr().err == (
        "publish: refused to read file:///etc/hostname: only files inside the project's layouts "
        "and fonts and the issue's folder may be read\n")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_layout_image_that_cannot_be_loaded_fails_the_build(project, tmp_path, capsys):
    issue = hostile_layout(project, css=".banner { background: url(texture.png); }")
    texture = project.root / "layouts" / "mmsp" / "texture.png"
    texture.write_bytes(b"not a png at all")
    code = main(["build", str(issue), "--out", str(tmp_path / "out")])
    assert code == 2
    assert capsys.readouterr().err == (
        f"publish: the render failed: the image {texture.resolve().as_uri()} could not be "
        "loaded (not a readable image)\n")
    texture.unlink()
    assert main(["build", str(issue), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"publish: could not read {texture.resolve().as_uri()}: No such file or directory\n")


def test_failed_build_leaves_the_previous_pdf_byte_identical(project, tmp_path, capsys):
    issue = project.copy_issue(FIFTH)
    out = tmp_path / "out"
    assert main(["build", str(issue), "--out", str(out)]) == 0
    pdf = out / "mmsp-test.pdf"
    before = digest(pdf)
    project.edit(issue, "number: 5", "number: [5")
    assert main(["build", str(issue), "--out", str(out)]) == 2
    assert digest(pdf) == before
    assert _written(out) == ["mmsp-test.pdf"]


def _written(out: Path) -> list[str]:
    """What a build left in out, besides the manifest a checked build records beside it."""
    return sorted(p.name for p in out.iterdir() if p.name != ".publish-manifest.json")


def _start_build(issue: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "publish", "build", str(issue), "--out",
                             str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_killing_a_build_mid_write_keeps_the_last_good_pdf(project, tmp_path):
    issue = project.copy_issue(FIFTH)
    out = tmp_path / "out"
    assert main(["build", str(issue), "--out", str(out)]) == 0
    pdf = out / "mmsp-test.pdf"
    before = digest(pdf)
    project.edit(issue, "On 1 April 2017", "On the first of April 2017")  # a different PDF
    process = _start_build(issue, out)
    deadline = time.monotonic() + 120
    while not list(out.glob(".mmsp-test.pdf.*.part")):
        assert process.poll() is None, "the build finished before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)  # mid-write: the temporary file exists
    process.wait()
    assert digest(pdf) == before
    assert len(PdfReader(pdf).pages) == 6
    # The next build clears what the killed one left and replaces the PDF whole.
    assert main(["build", str(issue), "--out", str(out)]) == 0
    assert digest(pdf) != before
    assert _written(out) == ["mmsp-test.pdf"]


@pytest.mark.parametrize("moment, loaded", [("importing the pipeline", "_yaml"),
                                             ("laying out", "libpango")])
def test_ctrl_c_during_a_build_writes_nothing(project, tmp_path, moment, loaded):
    issue = _slow_issue(project)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "publish", "build", str(issue), "--out",
                                str(out), "--timeout", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    # Interrupted at that moment for certain: the library has just been mapped into the
    # process, and 1,500 articles take far longer to lay out than any machine needs to notice.
    deadline = time.monotonic() + 120
    while loaded not in Path(f"/proc/{process.pid}/maps").read_text():
        assert process.poll() is None and time.monotonic() < deadline, moment
        time.sleep(0.002)
    assert process.poll() is None
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert (process.returncode, err.decode()) == (130, "publish: interrupted; nothing was "
                                                       "written\n")
    assert not out.exists() or not list(out.iterdir())


def _slow_issue(project, name: str = "slow", articles: int = 1500, first: str = "") -> Path:
    """An MMSP issue whose one page has many short articles (after `first`, block lines)."""
    series = project.root / "issues" / "mmsp"
    series.mkdir(parents=True)
    shutil.copy(ROOT / "issues" / "mmsp" / "series.yaml", series / "series.yaml")
    issue = series / name
    issue.mkdir()
    blocks = "\n".join(f"      - article: {{id: a{i}, title: Story {i}, body: Text {i}.}}"
                       for i in range(articles))
    (issue / "issue.yaml").write_text(
        f"number: 1\ndate: 2020-01\npages:\n  - page: 1\n    blocks:\n{first}{blocks}\n")
    return issue


def test_two_builds_at_once_leave_one_complete_pdf(project, tmp_path):
    issue = project.copy_issue(FIFTH)
    out = tmp_path / "out"
    first, second = _start_build(issue, out), _start_build(issue, out)
    assert first.wait(timeout=180) == 0 and second.wait(timeout=180) == 0
    assert _written(out) == ["mmsp-test.pdf"]
    assert len(PdfReader(out / "mmsp-test.pdf").pages) == 6
    assert main(["check", str(issue), "--out", str(out)]) == 0


def test_timeout_stops_a_build_with_a_clear_message(project, tmp_path, capsys):
    issue = project.copy_issue(FIFTH)
    out = tmp_path / "out"
    start = time.monotonic()
    assert main(["build", str(issue), "--out", str(out), "--timeout", "0.3"]) == 2
    assert time.monotonic() - start < 5
    assert "gave up after 0.3 s (--timeout)" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_pathological_issue_builds_or_fails_within_its_time_limit(project, tmp_path):
    """2,000 articles and a 50,000-character table cell: an answer within the limit, never a hang."""
    cell = "x" * 50000
    issue = _slow_issue(project, "huge", 2000,
                        first=f"      - table: {{rows: [[\"{cell}\", b]]}}\n")
    out = tmp_path / "out"
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "publish", "build", str(issue), "--out",
                             str(out), "--timeout", "8"], capture_output=True, text=True,
                            timeout=120)
    # The alarm, or failing that the watchdog 5 s later, ends it; start-up comes on top.
    assert time.monotonic() - start < 8 + 5 + 15
    assert result.returncode in (1, 2)
    if result.returncode == 2:
        assert "gave up after 8 s (--timeout)" in result.stderr
        assert "Traceback" not in result.stderr
        assert not out.exists() or not list(out.glob("*.pdf"))
