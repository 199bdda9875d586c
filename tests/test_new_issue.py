"""publish new: the next issue from the latest, built at once, never over an existing one."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdftext
from publish.cli import main
from publish.source.load import load


@pytest.fixture
def series(project):
    project.copy_issue(ROOT / "issues" / "mmsp" / "2017-05", name="2017-05")
    project.copy_issue(ROOT / "issues" / "mmsp" / "2018-03", name="2018-03")
    return project.root / "issues" / "mmsp"


@pytest.mark.slow
def test_next_issue_is_written_from_the_latest_and_built(series, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["new", str(series), "--date", "2019-03", "--out", str(out)]) == 0
    written = series / "2019-03" / "issue.yaml"
    stdout = capsys.readouterr().out
    assert stdout.splitlines() == [
        f"wrote {written}: issue 7, 2019-03, the recurring pages of 2018-03 (issue 6) and "
        "placeholders to replace",
        f"built {out}/mmsp-2019-03.pdf (4 pages): it passes its check",
        f"write in {written} (block examples are commented in it, and all of them in "
        f"docs/format.md); see each save as pages with: publish watch {series / '2019-03'}"]
    text = written.read_text()
    assert text.splitlines()[0] == \
        "# yaml-language-server: $schema=../../../schema/issue.schema.json"
    issue = load(written)
    assert (issue.number, issue.year, issue.month, issue.page_count) == (7, 2019, 3, 4)
    cover = [p.block.kind for p in issue.pages[0].blocks]
    assert cover == ["foreword", "index"]
    assert issue.pages[0].blocks[0].block.signature.name.en == "Pär Liljert"
    assert [p.block.kind for p in issue.pages[-1].blocks][-1] == "contacts"
    printed = " ".join(pdftext(out / "mmsp-2019-03.pdf", 1, 1).split())
    assert "7TH ISSUE" in printed and "MARCH 2019" in printed and "Pär Liljert" in printed
    assert len(PdfReader(out / "mmsp-2019-03.pdf").pages) == 4


def test_an_existing_issue_is_never_overwritten(series, tmp_path, capsys):
    before = (series / "2018-03" / "issue.yaml").read_bytes()
    assert main(["new", str(series), "--date", "2018-03", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (f"publish: {series / '2018-03'} already exists; nothing "
                                       "was written (give another --date)\n")
    assert (series / "2018-03" / "issue.yaml").read_bytes() == before
    assert not list(tmp_path.glob("*.pdf"))


def test_a_bad_date_and_an_unknown_series_are_usage_errors(series, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["new", str(series), "--date", "2019-13"])
    assert stop.value.code == 2
    assert "--date 2019-13: give a year and month, e.g. 2019-03" in capsys.readouterr().err
    assert main(["new", str(series.parent / "nope")]) == 2
    assert "nope: no such series" in capsys.readouterr().err


def test_every_commented_example_loads_when_uncommented(series, tmp_path):
    """The examples are the editor's copy-and-paste source: each must be valid as written."""
    from publish.tools.nextissue import latest_issue, next_issue_yaml
    text = next_issue_yaml(latest_issue(series), "2019-03")
    examples = re.findall(r"^      # (- .*(?:\n      #   .*)*)", text, flags=re.M)
    kinds = {re.match(r"- (\w+):", e)[1] for e in examples}
    assert kinds == {"quote", "figure", "qr", "panel", "table", "qa", "events", "promo",
                     "summary"} - {"table"}  # the table stands inside the panel
    uncommented = re.sub(r"^      # (- |  )", r"      \1", text, flags=re.M)
    uncommented = uncommented.replace("image: photo.jpg, ", "")  # no photo in this folder
    (series / "2019-03").mkdir()
    (series / "2019-03" / "issue.yaml").write_text(uncommented)
    issue = load(series / "2019-03")
    assert [p.block.kind for p in issue.pages[2].blocks] == [
        "article", "quote", "figure", "qr", "panel", "qa", "events", "promo", "summary"]


def test_the_latest_issue_not_loading_stops_new_instead_of_reusing_its_number(series, tmp_path,
                                                                              capsys):
    # The 2018-03 issue (number 6) is mid-edit and does not load: starting from 2017-05
    # (number 5) would make a second issue 6.
    latest = series / "2018-03" / "issue.yaml"
    latest.write_text(latest.read_text().replace("number: 6", "number: [6"))
    out = tmp_path / "out"
    assert main(["new", str(series), "--date", "2019-03", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"publish: {latest}: does not load, so the series' latest issue and its number are not "
        "known; fix it (or move it out of the series) before starting the next issue\n"
        f"{latest}:")
    assert "YAML syntax" in err
    assert not (series / "2019-03").exists() and not out.exists()


@pytest.mark.parametrize("when", ["٢٠١٩-03", "2019-٠٣", "２０１９-03", "2019-3", "2019-03 "])
def test_a_date_in_other_digits_or_shapes_is_a_usage_error(series, capsys, when):
    with pytest.raises(SystemExit) as stop:
        main(["new", str(series), "--date", when])
    assert stop.value.code == 2
    assert f"--date {when}: give a year and month, e.g. 2019-03" in capsys.readouterr().err
    assert sorted(p.name for p in series.iterdir()) == ["2017-05", "2018-03", "series.yaml"]


@pytest.mark.slow
@pytest.mark.parametrize("failure", ["render", "bug", "interrupt"])
def test_a_failed_build_after_the_file_was_written_says_the_file_is_kept(series, tmp_path,
                                                                         capsys, monkeypatch,
                                                                         failure):
    import publish.build
    from publish.errors import RenderError
    raised = {"render": RenderError("the render failed: a test; nothing was written"),
              "bug": RuntimeError("a bug"), "interrupt": KeyboardInterrupt()}[failure]

    def fail(*args, **kwargs):
        raise raised
    monkeypatch.setattr(publish.build, "fit_issue", fail)
    code = main(["new", str(series), "--date", "2019-03", "--out", str(tmp_path / "out")])
    written = series / "2019-03" / "issue.yaml"
    err = capsys.readouterr().err
    assert code == {"render": 2, "bug": 3, "interrupt": 130}[failure]
    assert written.is_file() and "nothing was written" not in err
    assert f"{written} was written and is kept" in err and "its PDF was not built" in err
