"""Reliability: no damaged PDF is ever published, bad files are refused before they are read,
every issue of a batch is reported on its own, and nothing a file says reaches the terminal raw.

The interrupt cases inject the exception where a real one lands (deterministic); one test sends
a real SIGINT while the QR code is being drawn, and asserts every time.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import weasyprint.svg
from pypdf import PdfReader, PdfWriter

from conftest import FIFTH, ROOT
from publish.render import private
from publish import write
from publish.cli import main
from publish.compose.markup import block, inline
from publish.cli.timelimit import _Expired

CBMM = ROOT / "issues" / "cbmm" / "2010-h1"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(args, capsys):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def built_fifth(project, tmp_path, capsys):
    """A copy of the 5th issue (it has a QR code, an SVG) built once into out/, then edited so
    the next build would give a different PDF: (issue folder, out folder, digest of the PDF)."""
    issue = project.copy_issue(FIFTH)
    out = tmp_path / "out"
    assert run(["build", issue, "--out", out, "--no-check"], capsys)[0] == 0
    project.edit(issue, "On 1 April 2017", "On the first of April 2017")
    return issue, out, digest(out / "mmsp-test.pdf")


# -- 1. an interrupt swallowed by WeasyPrint's SVG drawing is never published ------------------

def test_ctrl_c_while_the_qr_code_is_drawn_keeps_the_last_good_pdf(built_fifth, monkeypatch,
                                                                   capsys):
    issue, out, before = built_fifth

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(weasyprint.svg.SVG, "draw", interrupted)
    code, stdout, stderr = run(["build", issue, "--out", out], capsys)
    assert code == 130
    assert stderr == "publish: interrupted; nothing was written\n"
    assert stdout == ""
    assert digest(out / "mmsp-test.pdf") == before
    assert sorted(p.name for p in out.iterdir()) == ["mmsp-test.pdf"]


def test_timeout_alarm_while_the_qr_code_is_drawn_keeps_the_last_good_pdf(built_fifth, monkeypatch,
                                                                          capsys):
    issue, out, before = built_fifth

    def alarm(*args, **kwargs):
        raise _Expired()  # what the --timeout alarm raises wherever the process is
    monkeypatch.setattr(weasyprint.svg.SVG, "draw", alarm)
    code, _, stderr = run(["build", issue, "--out", out, "--timeout", "300"], capsys)
    assert code == 2
    assert stderr == (f"publish: {issue}: gave up after 300 s (--timeout); the issue is too "
                      "large for its pages, or a layout loops\n")
    assert digest(out / "mmsp-test.pdf") == before


def test_an_svg_that_fails_to_draw_fails_the_build(built_fifth, monkeypatch, capsys):
    issue, out, before = built_fifth

    def broken(*args, **kwargs):
        raise ValueError("unparsable path data")
    monkeypatch.setattr(weasyprint.svg.SVG, "draw", broken)
    code, _, stderr = run(["build", issue, "--out", out], capsys)
    assert code == 2
    assert re.fullmatch(r"publish: could not draw the SVG image data:image/svg\+xml;base64,\S{14}"
                        r"\.\.\.: ValueError: unparsable path data\n", stderr), stderr
    assert digest(out / "mmsp-test.pdf") == before


def test_a_real_sigint_while_the_qr_code_is_drawn_writes_nothing(project, tmp_path):
    """A real signal, sent from outside once the QR code is being drawn: asserts every run."""
    issue = project.copy_issue(FIFTH)
    out, drawing = tmp_path / "out", tmp_path / "drawing"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        import weasyprint.svg
        from publish.cli import main
        original = weasyprint.svg.SVG.draw
        def slow(self, *args, **kwargs):
            Path({str(drawing)!r}).touch()
            time.sleep(60)  # the SIGINT lands here, inside WeasyPrint's SVG drawing
            return original(self, *args, **kwargs)
        weasyprint.svg.SVG.draw = slow
        sys.exit(main(["build", {str(issue)!r}, "--out", {str(out)!r}]))
        """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not drawing.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never reached the QR code"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert stderr == "publish: interrupted; nothing was written\n"
    assert not out.exists() or list(out.iterdir()) == []


# -- 5. batches -----------------------------------------------------------------------------

def test_two_issues_that_map_to_one_pdf_are_bad_input_before_building(project, tmp_path, capsys):
    first = project.copy_issue(FIFTH, series="mmsp-2017", name="05")
    second = project.copy_issue(FIFTH, series="mmsp", name="2017-05")
    out = tmp_path / "out"
    code, stdout, stderr = run(["build", first, second, "--out", out], capsys)
    assert code == 2
    assert stderr == (f"publish: {first} and {second} would both be written to "
                      f"{out}/mmsp-2017-05.pdf (a PDF is named <series folder>-<issue folder>); "
                      "rename one folder. Nothing was built.\n")
    assert stdout == "" and not out.exists()


def test_an_unexpected_error_in_one_issue_does_not_stop_the_batch(project, tmp_path, monkeypatch,
                                                                   capsys):
    import publish.build
    broken = project.copy_issue(CBMM, series="cbmm", name="broken")
    good = project.copy_issue(CBMM, series="cbmm", name="good")
    fit_issue = publish.build.fit_issue

    def failing(issue, proj, *args, **kwargs):
        if issue.slug == "cbmm-broken":
            raise RuntimeError("a bug in a layout filter")
        return fit_issue(issue, proj, *args, **kwargs)
    monkeypatch.setattr(publish.build, "fit_issue", failing)  # the workers fork with it
    out = tmp_path / "out"
    code, stdout, stderr = run(["build", broken, good, "--out", out, "--no-check"], capsys)
    assert code == 3  # an internal error, not bad input
    assert stderr == (f"publish: {broken}: internal error (RuntimeError: a bug in a layout "
                      "filter); nothing was written. Run again with PUBLISH_DEBUG=1 for the traceback, and please "
                      "report it.\n")
    assert re.search(rf"^ok +cbmm-good +4 pages .* {out}/cbmm-good.pdf$", stdout, re.M), stdout
    assert f"1 of 2 issues built and passed their check in" in stdout
    assert stdout.rstrip().endswith(f"; failed: {broken}")
    assert sorted(p.name for p in out.iterdir()) == ["cbmm-good.pdf"]


def test_a_stuck_worker_is_ended_and_only_its_issue_fails(project, tmp_path, monkeypatch, capsys):
    """A build the alarm cannot stop (as inside a long Pango call): its worker is ended,
    the issue next to it in the other worker is unharmed and the run goes on."""
    import publish.build
    import publish.cli.commands.build
    stuck = project.copy_issue(CBMM, series="cbmm", name="stuck")
    good = project.copy_issue(CBMM, series="cbmm", name="good")
    fit_issue = publish.build.fit_issue

    def hanging(issue, proj, *args, **kwargs):
        if issue.slug == "cbmm-stuck":
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            time.sleep(600)
        return fit_issue(issue, proj, *args, **kwargs)
    monkeypatch.setattr(publish.build, "fit_issue", hanging)
    monkeypatch.setattr(publish.cli.commands.build, "BACKSTOP_GRACE", 1)
    out = tmp_path / "out"
    start = time.monotonic()
    code, stdout, stderr = run(["build", stuck, good, "--out", out, "--jobs", "2",
                                "--timeout", "25", "--no-check"], capsys)
    assert time.monotonic() - start < 25 + 1 + 20
    assert code == 2
    assert stderr == (f"publish: {stuck}: gave up after 25 s (--timeout); the issue is too large "
                      "for its pages, or a layout loops\n")
    assert re.search(rf"^ok +cbmm-good +4 pages .* {out}/cbmm-good.pdf$", stdout, re.M), stdout
    assert stdout.rstrip().endswith(f"(2 at a time); failed: {stuck}")
    assert sorted(p.name for p in out.iterdir()) == ["cbmm-good.pdf"]


def test_ctrl_c_with_two_jobs_prints_no_traceback_and_says_what_was_written(tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "publish", "build", "--all", "--jobs", "2",
                                "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(4)  # both workers started and building
    assert process.poll() is None
    os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C does: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in stderr
    pdfs = sorted(out.glob("*.pdf")) if out.exists() else []
    if pdfs:
        assert stderr == ("publish: interrupted; written before the interrupt: "
                          f"{', '.join(map(str, pdfs))}; nothing else was written\n")
    else:
        assert stderr == "publish: interrupted; nothing was written\n"
    assert not out.exists() or not list(out.glob(".*.part"))


def test_an_interrupt_after_the_pdf_was_renamed_says_it_was_written(project, tmp_path,
                                                                    monkeypatch, capsys):
    import publish.build
    issue = project.copy_issue(CBMM, series="cbmm", name="test")
    atomic = publish.build.atomic

    def then_interrupted(target, produce):
        size = atomic(target, produce)
        raise KeyboardInterrupt  # Ctrl-C just after the rename
    monkeypatch.setattr(publish.build, "atomic", then_interrupted)
    out = tmp_path / "out"
    code, _, stderr = run(["build", issue, "--out", out], capsys)
    assert code == 130
    assert stderr == (f"publish: interrupted; written before the interrupt: {out}/cbmm-test.pdf; "
                      "nothing else was written\n")
    assert len(PdfReader(out / "cbmm-test.pdf").pages) == 4


@pytest.mark.parametrize("failure", ["time-out", "bug"])
def test_a_failure_after_the_pdf_was_renamed_says_it_was_written(project, tmp_path, monkeypatch,
                                                                 capsys, failure):
    import time

    import publish.check
    issue = project.copy_issue(CBMM, series="cbmm", name="test")

    def check_then_fail(*args, **kwargs):
        if failure == "time-out":
            signal.setitimer(signal.ITIMER_REAL, 0.01)  # the --timeout runs out just now
            time.sleep(5)
        raise RuntimeError("a bug in the check")
    monkeypatch.setattr(publish.check, "check", check_then_fail)
    out = tmp_path / "out"
    code, _, stderr = run(["build", issue, "--out", out, "--timeout", "600"], capsys)
    pdf = out / "cbmm-test.pdf"
    if failure == "time-out":
        assert code == 2
        assert stderr == (f"publish: {issue}: gave up after 600 s (--timeout); the issue is too "
                          f"large for its pages, or a layout loops\n  {pdf} was written before "
                          "that, but not checked\n")
    else:
        assert code == 3
        assert stderr.startswith(f"publish: {issue}: internal error (RuntimeError: a bug in the "
                                 f"check); {pdf} was written before that, but not checked. ")
    assert "nothing was written" not in stderr and len(PdfReader(pdf).pages) == 4


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e-6", "-1", "1e9", "soon"])
@pytest.mark.parametrize("command", ["build", "check"])
def test_timeout_must_be_a_sensible_number_of_seconds(command, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, str(FIFTH), f"--timeout={value}"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.endswith(f"publish {command}: error: argument --timeout: needs a number of seconds "
                        f"from 0.1 to 86400 (or 0 for no limit), not '{value}'\n")
    assert "Traceback" not in err


# -- 4. hangs and memory: files checked before they are read -------------------------------

def _issue_folder(tmp_path: Path) -> Path:
    series = tmp_path / "mmsp"
    series.mkdir(exist_ok=True)
    (series / "series.yaml").write_text((ROOT / "issues" / "mmsp" / "series.yaml").read_text())
    issue = series / "odd"
    issue.mkdir()
    return issue


def test_a_fifo_issue_file_is_refused_without_waiting(tmp_path):
    issue = _issue_folder(tmp_path)
    os.mkfifo(issue / "issue.yaml")
    for command in ("build", "check"):
        result = subprocess.run([sys.executable, "-m", "publish", command, str(issue),
                                 "--out", str(tmp_path / "out")],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2
        assert result.stderr == (f"publish: {issue}/issue.yaml: is not a regular file (a device, "
                                 "pipe or socket); an issue file must be a plain text file\n")


def test_an_issue_file_linked_to_dev_zero_is_refused_before_reading(tmp_path, capsys):
    issue = _issue_folder(tmp_path)
    (issue / "issue.yaml").symlink_to("/dev/zero")
    code, _, stderr = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    # A link out of its series folder (here no project) is not even opened (confine.py).
    assert stderr == (f"publish: {issue / 'issue.yaml'}: is a link to /dev/zero, outside "
                      f"{issue.parent}; publish reads and writes only files inside the project, "
                      "so it was not opened\n")


def _form_that_draws_itself(times: int) -> bytes:
    """A one-page PDF whose form XObject draws itself `times` times: tiny, endless to read."""
    body = b"/Fm1 Do " * times
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Fm1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] "
        b"/Resources << /XObject << /Fm1 4 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
        % (len(body), body),
        b"<< /Length 8 >>\nstream\n/Fm1 Do\nendstream",
    ]
    return _pdf(objects)


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref)
    return out


def test_check_refuses_a_tiny_form_that_draws_itself_at_once(tmp_path):
    pdf = tmp_path / "loop.pdf"
    pdf.write_bytes(_form_that_draws_itself(50))
    assert pdf.stat().st_size < 1200
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "publish", "check", str(FIFTH), "--pdf",
                             str(pdf)], capture_output=True, text=True, timeout=120)
    assert time.monotonic() - start < 20  # the start-up; the walk itself stops at once
    assert (result.returncode, result.stderr) == (
        2, f"publish: {pdf}: too complex to check: the form /Fm1 draws itself; a PDF publish "
           "builds never does this, so it was not checked\n")


def test_check_gives_up_on_a_pdf_that_never_ends_within_its_timeout(tmp_path):
    # A form that draws itself is refused at once (test_check_budget.py); drawing within
    # the check's budget can still take longer than a time limit.
    body = b"0 0 m 1 1 l S " * 200_000  # 2.8 MB: under the budget's 3 MB, seconds to walk
    pdf = tmp_path / "loop.pdf"
    pdf.write_bytes(_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body)]))
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "publish", "check", str(FIFTH), "--pdf",
                             str(pdf), "--timeout", "0.5"], capture_output=True, text=True,
                            timeout=120)
    assert time.monotonic() - start < 0.5 + 20
    assert result.returncode == 2
    assert result.stderr == (f"publish: {pdf}: gave up after 0.5 s (--timeout); the PDF is too "
                             "complex to read in that time, or it loops\n")


# -- 6. smaller findings, each a clear message ---------------------------------------------

def _write_issue(tmp_path: Path, text: str) -> Path:
    issue = _issue_folder(tmp_path)
    (issue / "issue.yaml").write_bytes(text.encode("utf-8"))
    return issue


HEAD = "number: 5\ndate: 2017-05\npages:\n  - page: 1\n    blocks:\n"


@pytest.mark.parametrize("value, message", [
    ('"A\\ud800B"', "contains \\ud800, half of a UTF-16 surrogate pair and not a character; "
                    "write the character itself (or its \\U00XXXXXX escape)"),
    ('"A\\0B"', "contains the control character NUL; text may hold tabs and line breaks but no "
                "other control characters"),
    ('"\\e[2J\\e[31mRED"', "contains the control character ESC (a terminal escape sequence); "
                          "text may hold tabs and line breaks but no other control characters"),
])
def test_an_unprintable_character_in_a_text_field_is_reported(tmp_path, capsys, value, message):
    issue = _write_issue(tmp_path, HEAD + f"      - banner: {value}\n")
    code, _, stderr = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert stderr == f"publish: {issue}/issue.yaml:6:17: {message}\n"


def test_yaml_nested_500_deep_is_reported_not_a_crash(tmp_path, capsys):
    issue = _write_issue(tmp_path, "number: 5\nx: " + "[" * 500 + "]" * 500 + "\n")
    code, _, stderr = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert stderr == (f"publish: {issue}/issue.yaml:2:43: is nested more than 40 levels deep; "
                      "an issue needs about 10\n")


def test_terminal_escapes_from_yaml_are_printed_escaped(tmp_path, capsys):
    # A key may carry a bidirectional override (printable text, not a control character);
    # the message quotes the key, so it must print inert.
    issue = _write_issue(tmp_path, HEAD + "      - banner: ok\nnumbre\u202e: 5\n")
    code, _, stderr = run(["build", issue, "--out", tmp_path / "out"], capsys)
    assert code == 2
    assert "\u202e" not in stderr
    assert f"{issue}/issue.yaml:7:1: numbre\\u202e: unknown field\n" in stderr


def test_only_the_documented_markdown_is_honoured():
    assert inline("__init__ and snake_case_name") == "__init__ and snake_case_name"
    assert inline("_not italic_ `not code` &amp; <https://x.org>") == \
        "_not italic_ `not code` &amp;amp; &lt;https://x.org&gt;"
    assert inline(r"\*not italic\* and C:\temp") == r"*not italic* and C:\temp"
    assert block(r"\*not italic\* and \_kept") == "<p>*not italic* and \\_kept</p>\n"
    assert inline("*italic* and **bold**") == "<em>italic</em> and <strong>bold</strong>"
    assert block("one  \ntwo") == "<p>one\ntwo</p>\n"  # no hard break from trailing spaces


@pytest.mark.parametrize("case, message", [
    ("annots-garbage", "not a readable PDF (AttributeError: 'NumberObject' object has no "
                       "attribute 'get')"),
    ("font-garbage", "not a readable PDF (AttributeError: 'TextStringObject' object has no "
                     "attribute 'get')"),
    ("pages-not-dict", "not a readable PDF (Invalid object in /Pages)"),
    ("kids-loop", "not a readable PDF (Detected cyclic page references.)"),
    ("root-not-dict", "not a readable PDF (Cannot find Root object in pdf)"),
    ("header-only", "not a readable PDF (Stream has ended unexpectedly)"),
    ("encrypted-aes256", "is encrypted (password-protected); a PDF for print must not be "
                         "(PDF/X forbids it): check the unencrypted original"),
])
def test_a_malformed_or_encrypted_pdf_gets_a_clear_message(tmp_path, capsys, case, message):
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
    catalog, pages = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    aes = (b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 /O <" + b"11" * 48 + b"> /U <" +
           b"22" * 48 + b"> /OE <" + b"33" * 32 + b"> /UE <" + b"44" * 32 + b"> /Perms <" +
           b"55" * 16 + b"> /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> "
           b"/StmF /StdCF /StrF /StdCF >>")
    data = {
        "annots-garbage": _pdf([catalog, pages, page + b"/Annots [5 (x)] >>"]),
        "font-garbage": _pdf([catalog, pages, page + b"/Resources << /Font << /F1 (x) >> >> "
                              b"/Contents 4 0 R >>",
                              b"<< /Length 22 >>\nstream\nBT /F1 12 Tf (hi) Tj ET\nendstream"]),
        "pages-not-dict": _pdf([catalog, b"(hello)"]),
        "kids-loop": _pdf([catalog, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        "root-not-dict": _pdf([b"42"]),
        "header-only": b"%PDF-1.7\n",
        "encrypted-aes256": _pdf([catalog, b"<< /Type /Pages /Kids [] /Count 0 >>", aes],
                                 b"/Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> "
                                 b"<00112233445566778899aabbccddeeff>] "),
    }[case]
    pdf = tmp_path / f"{case}.pdf"
    pdf.write_bytes(data)
    code, stdout, stderr = run(["check", FIFTH, "--pdf", pdf], capsys)
    assert code == 2
    assert stderr == f"publish: {pdf}: {message}\n"


def test_a_password_protected_pdf_gets_a_clear_message(fifth, tmp_path, capsys):
    built, _ = fifth
    writer = PdfWriter(clone_from=PdfReader(built.pdf))
    writer.encrypt("secret", algorithm="RC4-128")  # pure Python: no crypto library needed
    pdf = tmp_path / "locked.pdf"
    writer.write(pdf)
    code, _, stderr = run(["check", FIFTH, "--pdf", pdf], capsys)
    assert code == 2
    assert stderr == (f"publish: {pdf}: is encrypted (password-protected); a PDF for print must "
                      "not be (PDF/X forbids it): check the unencrypted original\n")


# -- temporary files and folders -----------------------------------------------------------

def _part(folder: Path, machine: str, pid: int, age: float = 0) -> Path:
    part = folder / f".issue.pdf.{machine}.{pid}.abc123.part"
    part.write_bytes(b"%PDF-1.7 half written")
    if age:
        os.utime(part, (time.time() - age, time.time() - age))
    return part


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_cleanup_keeps_other_machines_and_containers_files(tmp_path):
    here = write._machine()
    dead = _dead_pid()
    # Another container or machine: its pid means nothing here, its lock may be invisible.
    other = _part(tmp_path, "otherhost-1234abcd", dead)
    # A writer on this machine whose pid is not ours to see (another pid namespace), holding
    # its lock: in progress.
    locked = _part(tmp_path, here, dead)
    holder = os.open(locked, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    # Left by a build killed on this machine: removed.
    killed = _part(tmp_path, here, _dead_pid())
    # Another machine's file a day old and unlocked: abandoned, removed.
    old = _part(tmp_path, "otherhost-1234abcd", 1, age=2 * write.STALE_AFTER)
    try:
        write.atomic(tmp_path / "issue.pdf", lambda f: f.write(b"%PDF-1.7 whole"))
        assert other.exists() and locked.exists()
        assert not killed.exists() and not old.exists()
        assert (tmp_path / "issue.pdf").read_bytes() == b"%PDF-1.7 whole"
    finally:
        os.close(holder)
    assert socket.gethostname().replace(".", "-")[:40] in here


def test_fontconfig_folder_is_private_and_someone_elses_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setattr(private.tempfile, "gettempdir", lambda: str(tmp_path))
    mine = private.folder()
    assert mine == tmp_path / f"publish-{os.getuid()}"
    info = os.lstat(mine)
    assert stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
    assert stat.S_IMODE(info.st_mode) == 0o700
    # A folder of that name that others can write to, or a link planted in its place.
    mine.chmod(0o777)
    first = private.folder()
    assert first != mine and stat.S_IMODE(os.lstat(first).st_mode) == 0o700
    mine.rmdir()
    (tmp_path / "elsewhere").mkdir()
    mine.symlink_to(tmp_path / "elsewhere")
    second = private.folder()
    assert second not in (mine, tmp_path / "elsewhere")
    assert stat.S_IMODE(os.lstat(second).st_mode) == 0o700


@pytest.mark.parametrize("case", ["image-truncated-jpeg", "image-truncated-png"])
def test_truncated_image_is_refused_after_weasyprint_is_loaded(case):
    # Importing WeasyPrint makes Pillow accept truncated files for the whole process;
    # a build that follows another in the same process must still refuse them.
    import weasyprint  # noqa: F401
    from PIL import ImageFile
    from publish.source import images
    assert ImageFile.LOAD_TRUNCATED_IMAGES
    photo = next((Path(__file__).parent / "bad" / "mmsp" / case).glob("photo.*"))
    assert "the file is truncated" in images.problem(photo)
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's setting is given back
