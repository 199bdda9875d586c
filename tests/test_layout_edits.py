"""A layout edited while a process composes issue after issue (as `publish watch` does):
the next HTML is the edited layout's, although compose keeps compiled templates."""
from __future__ import annotations

import shutil

from conftest import ROOT
from publish.compose import compose
from publish.load import load


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
