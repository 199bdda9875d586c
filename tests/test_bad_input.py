"""Every bad input gets one clear message naming file, line and field; exit 2; nothing written."""
from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from publish.cli import main

CORPUS = Path(__file__).parent / "bad" / "mmsp"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.txt").is_file())


def run_cli(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", CASES)
def test_corpus_case_gives_its_message_and_exit_2(case, tmp_path, capsys):
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(["build", str(CORPUS / case), "--out", str(out)], capsys)
    expected = (CORPUS / case / "expected.txt").read_text().strip()
    assert code == 2
    for line in expected.splitlines():
        assert line in stderr, stderr
    assert str(CORPUS / case / "issue.yaml") in stderr or case == "image-missing"
    assert "Traceback" not in stderr
    assert not out.exists() or not any(out.iterdir())


def test_corpus_covers_the_promised_cases():
    for case in ("syntax-error", "empty", "top-level-list", "top-level-scalar", "wrong-number",
                 "bad-date", "unknown-key", "missing-required", "duplicate-ids",
                 "unknown-article-reference", "image-missing", "image-outside", "image-absolute",
                 "image-file-url", "image-http", "python-tag", "alias-bomb", "not-utf8",
                 "binary-garbage", "image-garbage", "image-empty", "image-text-as-jpeg",
                 "image-svg-as-png", "image-eps-as-png", "image-jpeg-named-png",
                 "image-truncated-jpeg", "image-truncated-png", "image-decompression-bomb"):
        assert case in CASES


def test_python_tag_constructs_nothing(tmp_path, capsys):
    marker = Path("/tmp/publish-pwned")
    marker.unlink(missing_ok=True)
    run_cli(["build", str(CORPUS / "python-tag"), "--out", str(tmp_path)], capsys)
    assert not marker.exists()


def test_alias_bomb_is_rejected_before_it_expands(tmp_path, capsys):
    # Memory, not time, tells an expanded bomb (gigabytes) from a refused one: a timed
    # assertion fails on a busy machine.
    tracemalloc.start()
    try:
        code, _, stderr = run_cli(["build", str(CORPUS / "alias-bomb"), "--out", str(tmp_path)],
                                  capsys)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2 and "aliases" in stderr
    assert peak < 32 * 2**20, f"{peak / 2**20:.0f} MB to refuse the bomb"


def test_file_over_the_size_limit(tmp_path, capsys):
    issue = tmp_path / "mmsp" / "huge"
    issue.mkdir(parents=True)
    (tmp_path / "mmsp" / "series.yaml").write_text((CORPUS / "series.yaml").read_text())
    (issue / "issue.yaml").write_text("number: 5\n# " + "x" * (1024 * 1024) + "\n")
    code, _, stderr = run_cli(["build", str(issue), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert "issue.yaml: is 1,048,589 bytes; an issue file may be at most 1,048,576 bytes" in stderr


def test_missing_source(tmp_path, capsys):
    code, _, stderr = run_cli(["build", str(tmp_path / "nope"), "--out", str(tmp_path)], capsys)
    assert code == 2 and "nope" in stderr and "not" in stderr


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build"])
    assert exit_info.value.code == 2


def test_real_command_prints_no_traceback(tmp_path):
    """The installed console script, as an editor runs it."""
    result = subprocess.run([sys.executable, "-m", "publish", "build",
                             str(CORPUS / "all-problems-at-once"), "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("all-problems-at-once/issue.yaml:") == 4


def test_issue_outside_a_series_folder_says_where_it_belongs(tmp_path, capsys):
    issue = tmp_path / "loose" / "issue"
    issue.mkdir(parents=True)
    (issue / "issue.yaml").write_text((CORPUS / "wrong-number" / "issue.yaml").read_text())
    code, _, stderr = run_cli(["build", str(issue), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert f"{tmp_path}/loose/series.yaml: file not found\n  hint: an issue folder sits in its " \
           "series folder" in stderr


def test_check_of_a_file_that_is_not_a_pdf(tmp_path, capsys):
    fake = tmp_path / "fake.pdf"
    fake.write_text("hello")
    code, _, stderr = run_cli(["check", str(CORPUS.parent.parent.parent / "issues" / "mmsp" /
                                             "2017-05"), "--pdf", str(fake)], capsys)
    assert code == 2
    assert stderr == f"publish: {fake}: not a readable PDF (Stream has ended unexpectedly)\n"


def _photo(path: Path, size=(1200, 800)) -> None:
    from PIL import Image
    image = Image.new("RGB", size)
    for x in range(0, size[0], 4):
        for y in range(0, size[1], 4):
            image.putpixel((x, y), (x % 256, y % 256, 128))
    image.save(path, quality=90) if path.suffix == ".jpg" else image.save(path)


def test_sound_png_and_jpeg_images_are_printed(project, tmp_path):
    """The image checks refuse only what is wrong: real photographs still reach the page."""
    from pypdf import PdfReader
    from conftest import FIFTH
    from publish.build import build
    issue = project.copy_issue(FIFTH)
    _photo(issue / "gauci.jpg")
    _photo(issue / "team.png")
    project.edit(issue, "caption: Dr. Jean-Pierre Gauci", "image: gauci.jpg\n"
                 "                caption: Dr. Jean-Pierre Gauci")
    project.edit(issue, "credit: © Richard Fairbrother, IOM", "image: team.png\n"
                 "                credit: © Richard Fairbrother, IOM")
    built = build(issue, tmp_path / "out")
    reader = PdfReader(built.pdf)
    # Every page's resources name both images (WeasyPrint shares one dictionary): count
    # the image objects themselves.
    images = {image.indirect_reference.idnum: image.image.size
              for page in reader.pages for image in page.images}
    assert sorted(images.values()) == [(1200, 800), (1200, 800)]


def test_an_image_over_the_pixel_limit_below_pillows_own_is_refused(tmp_path, capsys):
    """9,000 x 8,000 = 72 million pixels: Pillow would decode it (its limit is 89 million),
    taking 216 MB; publish refuses it first."""
    import struct
    import zlib
    issue = tmp_path / "mmsp" / "big"
    issue.mkdir(parents=True)
    (tmp_path / "mmsp" / "series.yaml").write_text((CORPUS / "series.yaml").read_text())
    (issue / "issue.yaml").write_text(
        (CORPUS / "image-decompression-bomb" / "issue.yaml").read_text())
    width, height = 9000, 8000

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\0" * ((1 + (width + 7) // 8) * height), 9)
    (issue / "photo.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    code, _, stderr = run_cli(["build", str(issue), "--out", str(tmp_path / "out")], capsys)
    assert code == 2
    assert stderr == (f"publish: {issue}/issue.yaml:9:18: pages[0].blocks[0].figure.image: image "
                      "'photo.png' has 72,000,000 pixels; an image may have at most 64,000,000 "
                      "(a whole A4 page with bleed at 600 ppi has 36 million)\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["image-truncated-jpeg", "image-truncated-png"])
def test_truncated_images_are_refused_once_weasyprint_is_loaded(case, tmp_path, capsys):
    """Importing WeasyPrint makes Pillow accept truncated files: the check must not."""
    import weasyprint.images  # noqa: F401  (sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile
    assert ImageFile.LOAD_TRUNCATED_IMAGES
    code, _, stderr = run_cli(["build", str(CORPUS / case), "--out", str(tmp_path)], capsys)
    assert code == 2
    assert (CORPUS / case / "expected.txt").read_text().strip() in stderr
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's setting is left as it was
