"""Makes the test photographs in this folder (run from anywhere: python make.py).

Every picture is drawn here from nothing (gradients, shapes and noise with a fixed seed),
so the files are ours to give away: CC0 (see LICENCE.md). Each carries, where its
name says so, a flat patch of a known colour that the tests find in the printed PDF.
"""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

HERE = Path(__file__).parent
ADOBE_RGB = Path("/usr/share/color/icc/compatibleWithAdobeRGB1998.icc")  # zlib licence
PATCH = (200, 40, 40)  # the known patch, in the picture's own RGB
PATCH_BOX = (0.08, 0.62, 0.30, 0.90)  # where it is, as fractions of width and height


def scene(width: int, height: int, seed: int, grain: int = 4) -> np.ndarray:
    """A landscape-like picture: sky, sun, hills, some texture; RGB, 8 bits."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height)[:, None]
    x = np.linspace(0, 1, width)[None, :]
    sky = np.stack([70 + 120 * y + 0 * x, 130 + 90 * y + 0 * x, 220 - 40 * y + 0 * x], -1)
    image = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.ellipse([width * 0.7, height * 0.1, width * 0.85, height * 0.1 + width * 0.15],
                 fill=(250, 220, 90))
    for k, colour in enumerate([(60, 120, 50), (40, 90, 35), (20, 50, 20)]):
        top = height * (0.45 + 0.15 * k)
        points = [(0, height)] + [(i * width / 12, top + rng.uniform(-1, 1) * height * 0.06)
                                  for i in range(13)] + [(width, height)]
        draw.polygon(points, fill=colour)
    pixels = np.asarray(image).astype(np.int16)
    if grain:
        pixels += rng.integers(-grain, grain + 1, size=pixels.shape, dtype=np.int16)
    pixels = np.clip(pixels, 0, 255).astype(np.uint8)
    x0, y0, x1, y1 = (round(v * s) for v, s in zip(PATCH_BOX, (width, height) * 2))
    pixels[y0:y1, x0:x1] = PATCH
    return pixels


def png16(path: Path, rgb16: np.ndarray) -> None:
    """A 16-bit RGB PNG (Pillow writes none), written chunk by chunk."""
    height, width, _ = rgb16.shape
    raw = b"".join(b"\0" + rgb16[row].astype(">u2").tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(
        ">IIBBBBB", width, height, 16, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b""))


def main() -> None:
    # RGB with an embedded profile (Adobe RGB (1998) compatible): its patch prints
    # differently from the same numbers in sRGB.
    Image.fromarray(scene(1100, 700, 1)).save(
        HERE / "harbour-adobergb.jpg", quality=85, icc_profile=ADOBE_RGB.read_bytes())
    # RGB without a profile: sRGB is assumed.
    Image.fromarray(scene(1120, 700, 2)).save(HERE / "hills-untagged.jpg", quality=85)
    # Grey.
    Image.fromarray(scene(700, 600, 3)).convert("L").save(HERE / "portrait-grey.jpg",
                                                          quality=85)
    # A logo with transparency: a disc and a ring on nothing.
    logo = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse([25, 25, 375, 375], fill=(0, 90, 170, 255))
    draw.ellipse([120, 120, 280, 280], fill=(0, 0, 0, 0))
    draw.rectangle([0, 175, 400, 225], fill=(230, 120, 0, 160))
    logo.save(HERE / "logo-alpha.png")
    # 16-bit RGB (a scanner's output).
    png16(HERE / "scan-16bit.png", scene(720, 400, 4, grain=0).astype(np.uint16) * 257)
    # 16-bit grey.
    grey16 = (np.asarray(Image.fromarray(scene(720, 420, 12, grain=0)).convert("L"))
              .astype(np.uint16) * 257)
    Image.fromarray(grey16.astype("<u2")).save(HERE / "scan-16bit-grey.png")
    # A palette PNG (a chart saved by an office program).
    Image.fromarray(scene(740, 400, 5, grain=0)).quantize(32).save(HERE / "chart-palette.png")
    # CMYK from a naive conversion: no black plate (grey from cyan, magenta and yellow),
    # and a patch of 387 % ink.
    rgb = scene(760, 480, 6, grain=2).astype(np.float64) / 255
    cmy = 1 - rgb
    naive = np.concatenate([cmy, np.zeros(cmy.shape[:2] + (1,))], -1)
    naive[:80, :240] = (1, 0.97, 0.9, 1)  # 387 %
    Image.fromarray((naive * 255).round().astype(np.uint8), "CMYK").save(
        HERE / "press-cmyk-naive.jpg", quality=85)
    # TIFF as a photographer delivers it (LZW, with its profile).
    Image.fromarray(scene(720, 360, 7, grain=0)).save(HERE / "studio.tif", compression="tiff_lzw",
                                             icc_profile=ADOBE_RGB.read_bytes())
    # A wide landscape, for a tall frame in an outer column, and one to bleed off the page.
    Image.fromarray(scene(1260, 840, 8)).save(HERE / "panorama.jpg", quality=75)
    Image.fromarray(scene(1300, 640, 9)).save(HERE / "coast-bleed.jpg", quality=75)
    # Too few pixels for print at the size it is shown.
    Image.fromarray(scene(451, 300, 10)).save(HERE / "gauci.jpg", quality=85)
    # A phone photo taken upright: stored sideways with EXIF orientation 6.
    sideways = Image.fromarray(scene(700, 500, 11)).transpose(Image.Transpose.ROTATE_90)
    exif = sideways.getexif()
    exif[0x0112] = 6
    sideways.save(HERE / "phone-exif.jpg", quality=85, exif=exif.tobytes())


if __name__ == "__main__":
    main()
