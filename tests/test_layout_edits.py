"""A layout edited while a process composes issue after issue (as `publish watch` does):
the next HTML is the edited layout's, although compose keeps compiled templates."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from publish.compose.document import compose
from publish.source.load import load


def test_an_edited_template_and_a_new_override_are_used_at_once(tmp_path):
    layouts = tmp_path / "layouts"
    shutil.copytree(ROOT / "layouts", layouts)
    issue = load(ROOT / "issues" / "mmsp" / "2018-03")
    assert "EDITED" not in compose(issue, layouts)

    flow = layouts / "base" / "blocks" / "flow.html"
    flow.write_text("<!-- EDITED -->" + flow.read_text())
    assert "<!-- EDITED -->" in compose(issue, layouts)

    # A template the series layout did not override before now overrides the base's.
    masthead = (layouts / "base" / "masthead.html").read_text()
    (layouts / "mmsp" / "masthead.html").write_text("<!-- OVERRIDDEN -->" + masthead)
    html = compose(issue, layouts)
    assert "<!-- OVERRIDDEN -->" in html and "<!-- EDITED -->" in html

    (layouts / "mmsp" / "masthead.html").unlink()
    assert "<!-- OVERRIDDEN -->" not in compose(issue, layouts)


def _cold(issue, out) -> bytes:
    """The PDF a fresh process builds (nothing remembered from this one)."""
    import subprocess
    import sys
    subprocess.run([sys.executable, "-m", "publish", "build", str(issue), "--out", str(out),
                    "--no-check"], check=True, capture_output=True)
    return (out / f"mmsp-{issue.name}.pdf").read_bytes()


@pytest.mark.slow
def test_rebuilds_with_remembered_column_heights_give_the_bytes_of_a_cold_build(
        project, tmp_path):
    """As `publish watch` does: build, edit, build again. Groups of balanced columns the
    edit did not touch are laid out once at the height remembered from the build before
    (publish/render/patches/balanced.py), font subsets of the same glyphs are taken from it
    (render/patches/fontsubsets.py); each PDF is the one a fresh process makes, byte for byte."""
    from publish.render.patches import balanced, fontsubsets
    from publish.build import build
    layouts = project.root / "layouts"
    layouts.unlink()  # a copy of its own, to edit
    shutil.copytree(ROOT / "layouts", layouts)
    issue = project.copy_issue(ROOT / "issues" / "mmsp" / "2018-03", name="2018-03")
    # What this process remembers from other tests' builds (the same issue, maybe with
    # the same edits) would be found too, and the counts below would not be this test's.
    balanced.forget()
    fontsubsets.forget()
    build(issue, tmp_path / "warm")
    # (file, old, new, how many groups' heights are found, at least and at most); a build
    # looks up 8 or 9 groups (the cover's foreword twice)
    edits = [
        # a clause in page 2's first article: its group is searched again
        (issue / "issue.yaml", "Today, we are witnessing",
         "Today, in a naïve time of many changes and with much to add, we are witnessing", 5, 7),
        # and taken out: every group as in the first build
        (issue / "issue.yaml", "in a naïve time of many changes and with much to add, ", "",
         7, 9),
        # the gap of the cover's columns, in the layout
        (layouts / "base" / "base.css", ".foreword { column-count: 2; column-gap: 5mm; }",
         ".foreword { column-count: 2; column-gap: 9mm; }", 5, 8),
    ]
    for n, (path, old, new, least, most) in enumerate(edits):
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))
        before = dict(balanced.statistics)
        subsets = dict(fontsubsets.statistics)
        warm = build(issue, tmp_path / "warm").pdf.read_bytes()
        made = fontsubsets.statistics["made"] - subsets["made"]
        found_subsets = fontsubsets.statistics["found"] - subsets["found"]
        assert (made > 0) == (n == 0) and found_subsets > 0, (n, made, found_subsets)
        found = balanced.statistics["found"] - before["found"]
        assert balanced.statistics["mismatched"] == before["mismatched"]
        # The fit's trial renders look up more groups than a build did before it: the
        # memory must be used, and the bytes stay a cold build's.
        assert least <= found, (n, found)
        assert warm == _cold(issue, tmp_path / f"cold{n}"), f"edit {n}: {old!r}"


class _Cycle:
    def __init__(self):
        self.me = self  # garbage only the cycle collector can free


@pytest.mark.slow
def test_watch_builds_without_the_cycle_collector_and_frees_between_saves(project, tmp_path):
    """The collector waits while a save is built (publish/tools/preview/builder.py), runs in
    tidy() between saves, and what tidy() set aside is freed once it becomes garbage."""
    import gc
    import weakref
    from publish.tools.preview.builder import Preview
    issue = project.copy_issue(ROOT / "issues" / "cbmm" / "2010-h1", series="cbmm")
    preview = Preview(issue, tmp_path / "out")
    collections = []

    def started(phase, info):
        if phase == "start":
            collections.append(info["generation"])
    gc.callbacks.append(started)
    try:
        garbage = [_Cycle() for _ in range(100_000)]  # enough to start a collection
        del garbage
        assert collections  # the collector runs, out of a build
        collections.clear()
        preview.build()
        assert preview.state.error is None and preview.state.pages
        # Not during the build: once at most, as it ends and the collector is back (what
        # was allocated meanwhile counts as young: 15 ms for the 6th issue)
        assert len(collections) <= 1, collections
        assert gc.isenabled()  # and running again after it
    finally:
        gc.callbacks.remove(started)

    kept = _Cycle()
    alive = weakref.ref(kept)
    preview.tidy()
    assert gc.get_freeze_count() > 0 and alive() is kept
    del kept
    preview.tidy()  # what the last tidy() set aside is looked at again
    assert alive() is None
    gc.unfreeze()


@pytest.mark.slow
def test_a_remembered_height_the_layout_contradicts_costs_a_second_layout_not_a_wrong_page(
        project, tmp_path, monkeypatch):
    """Were a digest to miss something a group's layout reads, two different groups would
    share an outcome: the one layout made at the remembered height does not end as the
    remembered one did, and the document is laid out again with nothing looked up."""
    from publish.render.patches import balanced
    from publish.build import build
    issue = project.copy_issue(ROOT / "issues" / "mmsp" / "2018-03", name="2018-03")
    digest = balanced.key
    # Every group gets the same digest: the first group's outcome is offered to all others.
    monkeypatch.setattr(balanced, "key", lambda *a: None if digest(*a) is None else b"same")
    balanced.forget()
    before = balanced.statistics["mismatched"]
    warm = build(issue, tmp_path / "warm").pdf.read_bytes()
    assert balanced.statistics["mismatched"] > before
    assert warm == _cold(issue, tmp_path / "cold")
