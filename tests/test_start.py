"""Fast start: --help, usage errors and bad input never load the renderer."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

PROBE = """
import sys
from publish.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as e:
    code = e.code
heavy = sorted(m for m in ("weasyprint", "pypdf", "reportlab") if m in sys.modules)
print("loaded:", ",".join(heavy) or "none", "exit:", code)
"""


def probe(*args: str) -> str:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    return result.stdout.splitlines()[-1]


def test_help_loads_no_pipeline_library():
    assert probe("--help") == "loaded: none exit: 0"
    assert probe("build", "--help") == "loaded: none exit: 0"
    assert probe("new", "--help") == "loaded: none exit: 0"
    assert probe("watch", "--help") == "loaded: none exit: 0"


def test_bad_input_and_usage_errors_do_not_load_weasyprint(tmp_path):
    issue = tmp_path / "mmsp" / "bad"
    issue.mkdir(parents=True)
    (tmp_path / "mmsp" / "series.yaml").write_text((ROOT / "issues/mmsp/series.yaml").read_text())
    (issue / "issue.yaml").write_text("number: [5\n")
    loaded = probe("build", str(issue), "--out", str(tmp_path / "out"))
    assert "weasyprint" not in loaded and loaded.endswith("exit: 2")
    assert probe("build") in ("loaded: none exit: 2", "loaded: reportlab exit: 2")
    assert not (tmp_path / "out").exists()
