"""Photographs to press: every kind an editor hands over, converted, cropped and checked.

The issue in tests/photos/2026-12 places each kind of image (drawn by its make.py, CC0):
RGB with and without a profile, grey, alpha, 16-bit, palette, TIFF, a sideways phone photo,
a naive CMYK JPEG, a landscape cropped tall into the outer column, a photo bleeding off the
page and one with too few pixels. Everything is asserted from the PDF as built.
"""
from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader

from conftest import ROOT, build_and_check
from publish.render import colour
from publish.build import build
from publish.check import check, pdffacts

ISSUE = Path(__file__).parent / "photos" / "2026-12"
PROFILE = ROOT / "layouts" / "base" / "color" / "FOGRA39-publish.icc"
ADOBE_RGB = Path("/usr/share/color/icc/compatibleWithAdobeRGB1998.icc")
LIMIT = 300  # the base layout's --ink-limit
sys.path.insert(0, str(ISSUE))
import make  # noqa: E402  the photographs' maker: where their known patch is

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    out = tmp_path_factory.mktemp("photos")
    built, report = build_and_check(ISSUE, out)
    return built, report, pdf_images(built.pdf)


def pdf_images(pdf: Path) -> dict[tuple[int, int], tuple[str, Image.Image]]:
    """Every image XObject of the PDF by its pixels: (colour space, the picture decoded)."""
    found = {}
    for page in PdfReader(str(pdf)).pages:
        for name, ref in page["/Resources"]["/XObject"].items():
            obj = ref.get_object()
            if obj.get("/Subtype") != "/Image":
                continue
            size = (int(obj["/Width"]), int(obj["/Height"]))
            space = str(obj["/ColorSpace"])
            if obj.get("/Filter") == "/DCTDecode":
                image = Image.open(io.BytesIO(obj._data))  # Pillow undoes Adobe's inversion
            else:
                image = Image.frombytes({"/DeviceGray": "L", "/DeviceCMYK": "CMYK"}[space],
                                        size, obj.get_data())
            found[size] = (space, image)
    return found


def densest_area(image: Image.Image, side: int = 5) -> float:
    """The highest C+M+Y+K, percent, averaged over any side x side pixels (0.4 mm at 300 ppi):
    the densest spot a press would measure."""
    tac = np.asarray(image, dtype=np.float64).sum(axis=2) / 255 * 100
    s = np.pad(tac, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    areas = (s[side:, side:] - s[:-side, side:] - s[side:, :-side] + s[:-side, :-side]) / side ** 2
    return float(areas.max())


def patch(image: Image.Image) -> tuple[float, ...]:
    """The mean colour of the middle of the known patch (make.PATCH_BOX) of an upright image."""
    x0, y0, x1, y1 = make.PATCH_BOX
    w, h = image.size
    box = (round((x0 + (x1 - x0) / 4) * w), round((y0 + (y1 - y0) / 4) * h),
           round((x1 - (x1 - x0) / 4) * w), round((y1 - (y1 - y0) / 4) * h))
    return tuple(np.asarray(image.crop(box), dtype=np.float64).reshape(-1, len(image.mode))
                 .mean(axis=0))


def lab(cmyk: tuple[float, ...]) -> np.ndarray:
    """A CMYK colour (0-255) as the output profile says it prints, in CIE Lab."""
    to_lab = ImageCms.buildTransform(ImageCms.getOpenProfile(str(PROFILE)),
                                     ImageCms.createProfile("LAB"), "CMYK", "LAB",
                                     renderingIntent=1)
    pixel = Image.new("CMYK", (1, 1), tuple(round(v) for v in cmyk))
    l, a, b = ImageCms.applyTransform(pixel, to_lab).getpixel((0, 0))
    return np.array([l * 100 / 255, a - 128, b - 128])


def expected_patch(source_profile, intent: int) -> tuple[float, ...]:
    """make.PATCH converted by LittleCMS to the output profile, as a printer's RIP would."""
    transform = ImageCms.buildTransform(source_profile, ImageCms.getOpenProfile(str(PROFILE)),
                                        "RGB", "CMYK", renderingIntent=intent,
                                        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    return ImageCms.applyTransform(Image.new("RGB", (1, 1), make.PATCH), transform).getpixel((0, 0))


def delta_e(a, b) -> float:
    return float(np.linalg.norm(lab(a) - lab(b)))


def test_every_image_is_cmyk_or_grey_and_grey_stays_grey(photos):
    built, report, images = photos
    assert len(images) == 13
    assert {space for space, _ in images.values()} == {"/DeviceCMYK", "/DeviceGray"}
    # The greyscale photo and the 16-bit grey scan print in black ink alone.
    assert sorted(size for size, (space, _) in images.items() if space == "/DeviceGray") == \
        [(700, 600), (720, 420)]
    assert not [f for f in report.findings if f.rule == "colour"], report.format()
    assert b"/DeviceRGB" not in built.pdf.read_bytes()


def test_no_pixel_area_exceeds_the_ink_limit_and_the_naive_cmyk_gets_a_black_plate(photos):
    _, _, images = photos
    for size, (space, image) in images.items():
        if space == "/DeviceCMYK":
            assert densest_area(image) <= LIMIT, size
    # The naive CMYK JPEG had 387 % in its corner and no black at all.
    source = Image.open(ISSUE / "press-cmyk-naive.jpg")
    assert densest_area(source) > 380 and np.asarray(source)[100:, :, 3].max() == 0
    printed = images[source.size][1]
    assert densest_area(printed) <= LIMIT
    assert np.asarray(printed)[..., 3].max() > 128  # grey now comes from the black plate


@pytest.mark.parametrize("name, source, intent", [
    ("harbour-adobergb.jpg", "adobe", 1),  # its embedded profile, relative colorimetric
    ("hills-untagged.jpg", "srgb", 0),  # sRGB assumed; the figure asks for perceptual
])
def test_the_known_patch_prints_where_the_profile_says(photos, name, source, intent):
    _, _, images = photos
    space, image = images[Image.open(ISSUE / name).size]
    profile = ImageCms.getOpenProfile(str(ADOBE_RGB)) if source == "adobe" \
        else ImageCms.createProfile("sRGB")
    assert delta_e(patch(image), expected_patch(profile, intent)) < 2.0
    # Read as sRGB (the profile dropped, as WeasyPrint alone does) it would be far off.
    if source == "adobe":
        assert delta_e(patch(image), expected_patch(ImageCms.createProfile("sRGB"), 1)) > 8


def test_transparency_is_flattened_onto_paper_white(photos):
    _, _, images = photos
    space, logo = images[(400, 400)]
    corner, hole = logo.getpixel((3, 3)), logo.getpixel((200, 140))
    assert max(corner) <= 2 and max(hole) <= 2  # no ink: the paper
    assert logo.getpixel((60, 120))[0] > 100  # the blue disc is printed in cyan


def test_orientation_sixteen_bits_palette_and_tiff_are_read(photos):
    _, _, images = photos
    # The phone photo is stored 500 x 700 with EXIF orientation 6: it prints upright.
    assert Image.open(ISSUE / "phone-exif.jpg").size == (500, 700)
    upright = images[(700, 500)][1]
    c, m, y, k = patch(upright)
    assert m > 150 and c < 60  # the red patch is where it is in the upright picture
    for name in ("scan-16bit.png", "chart-palette.png", "studio.tif"):
        space, image = images[Image.open(ISSUE / name).size]
        assert space == "/DeviceCMYK", name
        c, m, y, k = patch(image)
        assert m > 150 and c < 60, name


def test_cropped_photos_get_no_false_geometry_error_and_the_bleed_reaches_the_edge(photos):
    built, report, _ = photos
    assert not [f for f in report.findings if f.rule == "geometry"], report.format()
    facts = pdffacts.read(built.pdf)
    trim, bleed = facts.boxes[2].trim, facts.boxes[3].bleed
    tall = next(i for i in facts.images if i.pixels == (1260, 840))
    # Drawn whole, the cropped landscape reaches past the trim; what prints stays inside.
    assert tall.box[2] > trim[2] + 0.5 and tall.shown[2] <= trim[2]
    assert tall.shown[3] - tall.shown[1] > tall.shown[2] - tall.shown[0]  # cropped tall
    # `focus: [0.7, 0.5]`: 70 % of what is cropped away across is cut on the left.
    cut_left, cut = tall.shown[0] - tall.box[0], (tall.box[2] - tall.box[0]) - \
        (tall.shown[2] - tall.shown[0])
    assert abs(cut_left / cut - 0.7) < 0.01
    # `fit: contain`: the square logo is shown whole, 25 mm square in its wider frame.
    logo = next(i for i in facts.images if i.pixels == (400, 400))
    assert abs((logo.shown[2] - logo.shown[0]) / 72 * 25.4 - 25) < 0.2
    assert abs((logo.shown[3] - logo.shown[1]) / 72 * 25.4 - 25) < 0.2
    coast = next(i for i in facts.images if i.pixels == (1300, 640))
    assert abs(coast.shown[0] - bleed[0]) < 0.5 and coast.page == 4


def test_a_photo_meant_to_bleed_that_stops_short_is_an_error(project, tmp_path):
    issue = project.copy_issue(ISSUE, series="photos", name="2026-12")
    project.edit(issue, "bleed: left", "bleed: right")
    _, report = build_and_check(issue, tmp_path)
    found = [str(f) for f in report.findings if f.rule == "geometry"]
    assert len(found) == 1 and re.fullmatch(
        r"error: page 4: 'coast-bleed.jpg' is meant to bleed off the right edge but stops "
        r"\d+\.\d mm short of the bleed edge \[geometry\]", found[0]), found


def test_the_low_resolution_photo_says_what_it_has_and_needs(photos):
    built, report, _ = photos
    low = [f for f in report.findings if f.rule == "image-resolution"]
    assert [(f.severity, f.page) for f in low] == [("proof", 3)], report.format()
    match = re.fullmatch(r"'gauci.jpg' on page 3 is 451 x 300 px shown at (\d+) x (\d+) mm: "
                         r"(\d+) ppi; 300 ppi needs (\d+) x (\d+) px", low[0].message)
    assert match, low[0].message
    width, height, ppi, need_w, need_h = map(int, match.groups())
    gauci = next(i for i in pdffacts.read(built.pdf).images if i.pixels == (451, 300))
    assert ppi == math.floor(gauci.ppi) and 150 < ppi < 300
    assert abs(width - (gauci.shown[2] - gauci.shown[0]) / 72 * 25.4) < 1
    assert (need_w, need_h) == (math.ceil(451 * 300 / gauci.ppi), math.ceil(300 * 300 / gauci.ppi))
    # (The pages' short columns are the fill check's proof items: docs/fill.md.)
    assert re.search(r"page 3: [^;]*\b1 photo below print resolution", report.verdict())


def test_press_fails_on_the_low_resolution_photo(photos):
    built, _, _ = photos
    run = subprocess.run([sys.executable, "-m", "publish", "check", str(ISSUE), "--pdf",
                          str(built.pdf), "--press"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "error: page 3: 'gauci.jpg' on page 3 is 451 x 300 px" in run.stdout
    plain = subprocess.run([sys.executable, "-m", "publish", "check", str(ISSUE), "--pdf",
                            str(built.pdf)], capture_output=True, text=True, cwd=ROOT)
    assert plain.returncode == 0 and "1 photo below print resolution" in plain.stdout
    assert "proof: page 3: 'gauci.jpg' on page 3 is 451 x 300 px" in plain.stdout


def test_a_rebuild_converts_nothing_and_gives_the_same_bytes(photos, tmp_path):
    built, _, _ = photos
    before = colour.stats.conversions
    again = build(ISSUE, tmp_path)
    assert colour.stats.conversions == before
    assert again.pdf.read_bytes() == built.pdf.read_bytes()
    # Another process, with a temporary folder of its own (no converted files yet), converts
    # every image again, to the same bytes.
    temp = tmp_path / "tmp"
    temp.mkdir()
    run = subprocess.run([sys.executable, "-m", "publish", "build", str(ISSUE), "--out",
                          str(tmp_path / "fresh"), "--no-check"], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "TMPDIR": str(temp)})
    assert run.returncode == 0, run.stderr
    converted = list((temp / f"publish-{os.getuid()}" / "images").iterdir())
    assert len(converted) == 13
    assert (tmp_path / "fresh" / built.pdf.name).read_bytes() == built.pdf.read_bytes()
    # The same bytes from another folder: WeasyPrint names images by their URL, which
    # publish/render/patches/imageids.py makes the converted file's name alone.
    import weasyprint
    from weasyprint import images
    from publish.render.patches import imageids
    assert weasyprint.__version__ == imageids.WEASYPRINT_VERSION and images.md5._publish_patched


def test_heic_from_a_phone_is_bad_input_naming_the_figure(project, tmp_path, capsys):
    from publish.cli import main
    issue = project.copy_issue(ISSUE, series="photos", name="2026-12")
    shutil.copy(ISSUE / "gauci.jpg", issue / "IMG_0042.HEIC")
    project.edit(issue, "image: gauci.jpg", "image: IMG_0042.HEIC")
    assert main(["build", str(issue), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert re.search(r"issue.yaml:\d+:\d+: pages\[2\]\.blocks\[0\]\.article\.body\[1\]\.figure"
                     r"\.image: 'IMG_0042.HEIC' is a HEIC image \(an iPhone's photo format\), "
                     r"which publish cannot read\n  hint: export it as JPEG", err), err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- the colour step on its own -------------------------------------------------

def test_a_photo_far_sharper_than_print_is_downsampled_to_600_ppi():
    frame = colour.Frame(height_mm=20, max_width_mm=60)
    # 4000 x 2000 px in at most 60 x 20 mm (cover): at least 1,693 ppi whichever way it fills.
    size = colour.printed_size((4000, 2000), frame)
    least = min(size[0] / (60 / 25.4), size[1] / (20 / 25.4))
    assert size[0] < 4000 and 599 <= least <= 601
    assert colour.printed_size((1000, 500), frame) == (1000, 500)  # 423 ppi: kept whole
    image = Image.fromarray(make.scene(4000, 2000, 1))
    data = io.BytesIO()
    image.save(data, "PNG")
    target = colour.Target("print", PROFILE, LIMIT)
    encoded, suffix = colour.convert(data.getvalue(), target, size)
    converted = Image.open(io.BytesIO(encoded))
    assert converted.size == size and converted.mode == "CMYK" and suffix == ".jpg"


def test_a_layout_may_lower_the_ink_limit():
    source = (ISSUE / "harbour-adobergb.jpg").read_bytes()
    size = Image.open(ISSUE / "harbour-adobergb.jpg").size
    for limit in (300, 240):
        encoded, _ = colour.convert(source, colour.Target("print", PROFILE, limit), size)
        densest = densest_area(Image.open(io.BytesIO(encoded)))
        assert densest <= limit and (limit == 300 or densest > limit - 10), (limit, densest)


def test_a_cmyk_photo_in_another_condition_is_converted_cmyk_to_cmyk():
    swop = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Ghostscript's, not FOGRA39
    if not swop.is_file():
        pytest.skip("Ghostscript's CMYK profile is not installed")
    pixels = Image.new("CMYK", (40, 40), (0, 255, 255, 0))
    data = io.BytesIO()
    pixels.save(data, "JPEG", quality=95, icc_profile=swop.read_bytes())
    target = colour.Target("print", PROFILE, LIMIT)
    converted = Image.open(io.BytesIO(colour.convert(data.getvalue(), target, (40, 40))[0]))
    kept = Image.open(io.BytesIO(colour.convert(
        _cmyk_jpeg((0, 255, 255, 0), None), target, (40, 40))[0]))
    assert converted.getpixel((20, 20)) != kept.getpixel((20, 20))
    expected = ImageCms.applyTransform(pixels, ImageCms.buildTransform(
        ImageCms.getOpenProfile(str(swop)), ImageCms.getOpenProfile(str(PROFILE)), "CMYK",
        "CMYK", renderingIntent=1, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION))
    assert delta_e(converted.getpixel((20, 20)), expected.getpixel((20, 20))) < 2
    assert max(abs(a - b) for a, b in zip(kept.getpixel((20, 20)), (0, 255, 255, 0))) <= 3


def _cmyk_jpeg(colour_: tuple, icc: bytes | None) -> bytes:
    data = io.BytesIO()
    Image.new("CMYK", (40, 40), colour_).save(data, "JPEG", quality=95,
                                              **({"icc_profile": icc} if icc else {}))
    return data.getvalue()


def test_the_screen_target_keeps_srgb():
    source = (ISSUE / "harbour-adobergb.jpg").read_bytes()
    size = Image.open(ISSUE / "harbour-adobergb.jpg").size
    encoded, _ = colour.convert(source, colour.screen_target(), size)
    screen = Image.open(io.BytesIO(encoded))
    assert screen.mode == "RGB"
    r, g, b = patch(screen)
    # Adobe RGB's (200, 40, 40) is more saturated than sRGB can hold: red clips towards 255.
    assert r > 215 and g < 40


def test_the_renderer_may_read_the_converted_images_and_nothing_else_of_publish_s_folder(
        tmp_path):
    from publish.errors import RenderError
    from publish.render.driver import renderer
    from publish.render.private import folder as _private_folder
    converted = colour.prepare(ISSUE / "gauci.jpg", colour.Target("print", PROFILE, LIMIT),
                               colour.Frame(35, 60))
    beside = _private_folder() / "not-an-image-to-read.png"
    shutil.copy(ISSUE / "chart-palette.png", beside)
    try:
        render = renderer(ROOT / "fonts").render
        rendered = render(f'<img src="{converted.as_uri()}">', base=tmp_path, allowed=[tmp_path])
        assert converted.as_uri() in rendered.fetched
        with pytest.raises(RenderError, match="refused to read .*not-an-image-to-read.png"):
            render(f'<img src="{beside.as_uri()}">', base=tmp_path, allowed=[tmp_path])
    finally:
        beside.unlink()


def test_a_lab_tiff_prints_as_the_same_colour_from_srgb():
    rgb = Image.new("RGB", (50, 40), make.PATCH)
    to_lab = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                     ImageCms.createProfile("LAB", 5000), "RGB", "LAB")
    tiff = io.BytesIO()
    ImageCms.applyTransform(rgb, to_lab).save(tiff, "TIFF")
    target = colour.Target("print", PROFILE, LIMIT)
    printed = Image.open(io.BytesIO(colour.convert(tiff.getvalue(), target, (50, 40))[0]))
    assert printed.mode == "CMYK"
    assert delta_e(printed.getpixel((25, 20)), expected_patch(ImageCms.createProfile("sRGB"), 1)) < 2
