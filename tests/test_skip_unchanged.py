"""build --all skips an issue whose inputs and PDF are as last built; progress on a terminal,
one line per issue when piped."""
from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from publish.cli import main

pytestmark = pytest.mark.slow
CBMM = ROOT / "issues" / "cbmm" / "2010-h1"


@pytest.fixture
def archive(project, monkeypatch):
    """A project of its own with one quick issue and its own copy of the layouts."""
    (project.root / "layouts").unlink()
    shutil.copytree(ROOT / "layouts", project.root / "layouts")
    issue = project.copy_issue(CBMM, series="cbmm", name="2010-h1")
    monkeypatch.chdir(project.root)
    return issue


def build_all(capsys, *extra) -> tuple[int, list[str]]:
    code = main(["build", "--all", "--out", "dist", *extra])
    return code, capsys.readouterr().out.splitlines()


def test_a_second_build_all_skips_what_has_not_changed(archive, project, capsys):
    assert build_all(capsys)[0] == 0
    pdf = project.root / "dist" / "cbmm-2010-h1.pdf"
    written = pdf.stat().st_mtime_ns
    code, lines = build_all(capsys)
    assert code == 0 and lines == [
        "unchanged    cbmm-2010-h1       inputs and PDF as last built (--force rebuilds)  "
        "dist/cbmm-2010-h1.pdf"]
    assert pdf.stat().st_mtime_ns == written

    # Each kind of input makes it build again: the issue, the series file, a layout file.
    for path, old, new in [
            (archive / "issue.yaml", "Concluding Meeting of CBMM China",
             "Concluding Meeting of the CBMM China Project"),
            (archive.parent / "series.yaml", "running_footer:", "running_footer:  "),
            (project.root / "layouts" / "base" / "base.css", "", "/* a comment */\n")]:
        path.write_text(path.read_text().replace(old, new, 1) if old else new + path.read_text())
        code, lines = build_all(capsys)
        assert code == 0 and lines[0].startswith("ok           cbmm-2010-h1"), (path, lines)
        assert build_all(capsys)[1][0].startswith("unchanged"), path

    # A PDF changed or removed since is built again; --force builds regardless.
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    assert build_all(capsys)[1][0].startswith("ok ")
    pdf.unlink()
    assert build_all(capsys)[1][0].startswith("ok ")
    assert build_all(capsys, "--force")[1][0].startswith("ok ")


def test_an_issue_that_failed_its_check_is_built_again(archive, project, capsys):
    # Moved in the plan: the index no longer matches the pages, so the check fails.
    (archive / "issue.yaml").write_text((archive / "issue.yaml").read_text()
                                        .replace("  - page: 4\n", "  - page: 4\n    continues: true\n", 1))
    first = build_all(capsys)
    second = build_all(capsys)
    assert first[0] == second[0] != 0
    assert not any(line.startswith("unchanged") for line in second[1])


def run_build(cwd, *args, terminal: bool) -> tuple[str, str]:
    """build with stderr on a pseudo-terminal, or piped; (stdout, stderr)."""
    argv = [sys.executable, "-m", "publish", "build", *args, "--out", "dist"]
    if not terminal:
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        return result.stdout, result.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    out = process.stdout.read()
    process.wait()
    os.close(leader)
    return out, seen.decode()


def test_progress_on_a_terminal_and_one_line_per_issue_when_piped(archive, project):
    project.copy_issue(ROOT / "issues" / "cbmm" / "2010-h1", series="cbmm", name="2010-h2")
    out, err = run_build(project.root, "--all", "--force", terminal=False)
    piped = out
    assert err == ""
    # Each issue's line (and its verdict's), then the summary: no progress in a log.
    assert [line.split()[:2] for line in out.splitlines() if not line.startswith("proof:")] \
        == [["ok", "cbmm-2010-h1"], ["ok", "cbmm-2010-h2"], ["2", "of"]]
    # On a terminal: which issue a batch is at, and for one issue the page being laid out.
    out, err = run_build(project.root, "--all", "--force", terminal=True)
    assert len(out.splitlines()) == len(piped.splitlines())
    assert "[1/2] cbmm-2010-h1 ..." in err and "[2/2] cbmm-2010-h2 ..." in err
    out, err = run_build(project.root, "issues/cbmm/2010-h2", terminal=True)
    assert out.splitlines()[0].split()[:2] == ["ok", "cbmm-2010-h2"]
    for n in (1, 2, 3, 4):
        assert f"[1/1] cbmm-2010-h2: laying out page {n}" in err
    assert "[1/1] cbmm-2010-h2: writing the PDF and checking it" in err
    assert err.endswith("\r\x1b[K")  # the live line is cleared at the end


def test_files_a_layout_reaches_outside_its_own_chain_count(archive, project, capsys):
    # A stylesheet whose name starts with "." and a file of a folder no series extends.
    cbmm = project.root / "layouts" / "cbmm"
    shared = project.root / "layouts" / "shared"
    shared.mkdir()
    (shared / "common.css").write_text(".masthead { letter-spacing: 0 }\n")
    (cbmm / ".extra.css").write_text(".masthead { word-spacing: 0 }\n")
    (cbmm / "layout.yaml").write_text((cbmm / "layout.yaml").read_text().replace(
        "stylesheets: [cbmm.css]", "stylesheets: [cbmm.css, .extra.css]"))
    (cbmm / "cbmm.css").write_text('@import "../shared/common.css";\n'
                                   + (cbmm / "cbmm.css").read_text())
    assert build_all(capsys)[0] == 0
    assert build_all(capsys)[1][0].startswith("unchanged")
    for path, rule in [(shared / "common.css", ".masthead { letter-spacing: 0.2pt }\n"),
                       (cbmm / ".extra.css", ".masthead { word-spacing: 1pt }\n")]:
        path.write_text(rule)
        code, lines = build_all(capsys)
        assert code == 0 and lines[0].startswith("ok           cbmm-2010-h1"), (path, lines)
        assert build_all(capsys)[1][0].startswith("unchanged"), path


def test_an_edit_made_while_the_build_runs_and_undone_is_not_taken_for_the_build(
        archive, project, capsys, monkeypatch):
    # The editor saves a change just as the build reads the issue, then undoes it before
    # the build ends: the PDF has the change, the folder is as before the build.
    import publish.build
    from conftest import pdftext
    issue = archive / "issue.yaml"
    original = issue.read_text()
    edited = original.replace("Concluding Meeting of CBMM China", "Concluding Meeting EDITED", 1)
    assert edited != original
    load = publish.build.load

    def edit_while_reading(path):
        issue.write_text(edited)
        try:
            return load(path)
        finally:
            issue.write_text(original)
    monkeypatch.setattr(publish.build, "load", edit_while_reading)
    assert build_all(capsys)[0] == 0
    pdf = project.root / "dist" / "cbmm-2010-h1.pdf"
    assert "EDITED" in pdftext(pdf)
    monkeypatch.setattr(publish.build, "load", load)

    code, lines = build_all(capsys)
    assert code == 0 and lines[0].startswith("ok           cbmm-2010-h1"), lines
    assert "EDITED" not in pdftext(pdf)
    assert build_all(capsys)[1][0].startswith("unchanged")


def test_a_damaged_manifest_entry_is_a_build_to_redo_not_a_failed_batch(archive, project,
                                                                        capsys):
    assert build_all(capsys)[0] == 0
    manifest = project.root / "dist" / ".publish-manifest.json"
    import json
    entries = json.loads(manifest.read_text())
    for damage in [["a list"], {"inputs": 7, "pdf": None}, "text",
                   {**next(iter(entries.values())), "read": {"/dev/zero": "x"}},
                   {**next(iter(entries.values())), "read": []}]:
        manifest.write_text(json.dumps({key: damage for key in entries}))
        code, lines = build_all(capsys)
        assert code == 0 and lines[0].startswith("ok           cbmm-2010-h1"), (damage, lines)


def test_series_files_the_loader_refuses_fail_their_issue_not_the_batch(archive, project,
                                                                         capsys):
    # Hashing an issue's inputs opens nothing the loader would refuse, and parses nothing.
    for series, write in [("deep", lambda p: p.write_text("a: " + "[" * 200_000 + "\n")),
                          ("latin", lambda p: p.write_bytes(b"title: caf\xe9\n")),
                          ("zero", lambda p: p.symlink_to("/dev/zero"))]:
        (project.root / "issues" / series / "x").mkdir(parents=True)
        shutil.copy(archive / "issue.yaml", project.root / "issues" / series / "x")
        write(project.root / "issues" / series / "series.yaml")
    code = main(["build", "--all", "--out", "dist", "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out.splitlines()[0].startswith("ok           cbmm-2010-h1")
    assert "1 of 4 issues built and passed their check" in out
    series = project.root / "issues"
    assert f"{series}/deep/series.yaml:1:" in err and "nested more than" in err
    assert f"{series}/latin/series.yaml:1:11: is not UTF-8 text (byte 0xe9)" in err
    assert f"{series}/zero/series.yaml: is a link to /dev/zero, outside" in err
    assert "Traceback" not in err
