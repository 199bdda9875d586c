"""The fonts in fonts/ as a conforming reader uses them."""
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

FONTS = Path(__file__).resolve().parent.parent / "fonts"


def _faces():
    for path in sorted(FONTS.iterdir()):
        if path.suffix in (".otf", ".ttf"):
            yield path.name, TTFont(path, lazy=True)
        elif path.suffix == ".ttc":
            for n, face in enumerate(TTCollection(path, lazy=True).fonts):
                yield f"{path.name}#{n}", face


_CFF_FACES = {name: face for name, face in _faces() if "CFF " in face}


@pytest.mark.parametrize("name", sorted(_CFF_FACES))
def test_cid_keyed_faces_number_glyphs_by_cid(name):
    """WeasyPrint writes a CFF font's glyph numbers as CIDs (Identity-H); Ghostscript and MuPDF
    find a glyph by its CID through the font's charset, so in every CID-keyed face of fonts/
    the glyph numbered n must be CID n, or those readers print boxes or other characters."""
    top = _CFF_FACES[name]["CFF "].cff.topDictIndex[0]
    assert hasattr(top, "ROS"), f"{name} is not CID-keyed"
    renumbered = [(gid, cid) for gid, cid in enumerate(top.charset[1:], start=1)
                  if cid != f"cid{gid:05d}"]
    assert not renumbered, (f"{name}: {len(renumbered)} glyphs whose number is not their CID, "
                            f"first: glyph {renumbered[0][0]} is {renumbered[0][1]}")
