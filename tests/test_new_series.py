"""A third series takes a series file and a small layout folder, no Python (as the README says)."""
from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdftext
from publish.cli import main

pytestmark = pytest.mark.slow  # every test here renders


def test_a_new_series_from_a_series_file_and_a_layout_folder(tmp_path, capsys):
    project = tmp_path / "project"
    (project / "layouts").mkdir(parents=True)
    (project / "fonts").symlink_to(ROOT / "fonts", target_is_directory=True)
    shutil.copytree(ROOT / "layouts" / "base", project / "layouts" / "base")
    green = project / "layouts" / "green"
    green.mkdir()
    (green / "layout.yaml").write_text(
        'description: "A green newsletter, two columns"\nextends: base\nstylesheets: [green.css]\n')
    (green / "green.css").write_text(
        ":root { --accent: device-cmyk(0.8 0 0.9 0.3); --accent-2: device-cmyk(0.5 0 0.6 0);"
        " --tint: device-cmyk(0.07 0 0.08 0); }\n")
    # A partial overridden by copying it to the same path in the series layout.
    (green / "blocks").mkdir()
    (green / "blocks" / "banner.html").write_text(
        '<h2 class="banner">&#9632; {{ block.text|t }}</h2>\n')
    series = project / "issues" / "green"
    (series / "2024-03").mkdir(parents=True)
    (series / "series.yaml").write_text("""\
title: {en: Green Cities Bulletin, zh: 绿色城市简报}
masthead: BULLETIN
publisher: Green Cities Network
layout: green
require_languages: [en, zh]
contacts:
  - name: Secretariat
    en: ["1 Park Road, Beijing"]
    zh: ["北京市公园路1号"]
""")
    (series / "2024-03" / "issue.yaml").write_text("""\
number: 1
date: 2024-03
pages:
  - page: 1
    blocks:
      - foreword:
          body: Welcome to the first bulletin; the trees are on ([p.](page:trees)).
      - index: {}
  - page: 2
    columns: 2
    blocks:
      - banner: Planting
      - article:
          id: trees
          title: A thousand trees for the river bank
          body: |
            Volunteers planted *a thousand trees* along the river.
      - contacts: {}
""")
    code = main(["build", str(series / "2024-03"), "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0, out
    pdf = tmp_path / "out" / "green-2024-03.pdf"
    assert len(PdfReader(pdf).pages) == 2
    cover, page2 = pdftext(pdf, 1, 1), pdftext(pdf, 2, 2)
    assert "BULLETIN" in cover and "绿色城市简报" in cover and "(p.2)" in cover
    # Between Chinese and a numeral the layout sets a quarter em (U+2005), as Chinese
    # typesetting wants; a reader's tool extracts it as a space, the characters are the same.
    assert "■ Planting" in page2 and "北京市公园路 1 号" in page2
