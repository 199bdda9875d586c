"""The loader on arbitrary input: a loaded issue or the loader's own error, never anything else."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from publish.errors import IssueError
from publish.source.load import load
from publish.source.model import Issue

FOLDER = Path(tempfile.mkdtemp(prefix="publish-fuzz-"))
shutil.copy(ROOT / "issues" / "mmsp" / "series.yaml", FOLDER / "series.yaml")
(FOLDER / "issue").mkdir()
ISSUE = FOLDER / "issue" / "issue.yaml"

KEYS = ["number", "date", "pages", "page", "blocks", "columns", "article", "id", "title", "body",
        "quote", "text", "name", "figure", "image", "caption", "panel", "table", "rows", "header",
        "qa", "items", "q", "a", "events", "dates", "index", "foreword", "signature", "en", "zh",
        "banner", "contacts", "continues", "span", "height", "numbers", "in_index"]
scalars = (st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False)
           | st.text(max_size=30) | st.sampled_from(["2017-05", "4/5", "[pg.](page:x)", "x"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner,
                                        max_size=5), max_leaves=40)


def outcome(text: str):
    ISSUE.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        result = load(ISSUE)
    except IssueError as e:
        assert e.problems and all(p.file == ISSUE.resolve() for p in e.problems)
        assert all(p.message for p in e.problems)
        return e
    assert isinstance(result, Issue)
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    outcome(text.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.fixed_dictionaries({"number": values, "date": values, "pages": values}) | values)
def test_arbitrary_structures(data):
    outcome(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.fixed_dictionaries(
    {"page": st.integers(0, 4) | st.sampled_from(["2/3", "1/3", "x"]),
     "blocks": st.lists(st.dictionaries(st.sampled_from(KEYS), values, min_size=1, max_size=1),
                        max_size=3)}), max_size=4))
def test_plausible_page_plans(pages):
    outcome(yaml.safe_dump({"number": 1, "date": "2020-01", "pages": pages}, allow_unicode=True))
