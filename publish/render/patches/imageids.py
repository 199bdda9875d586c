"""Image names that do not depend on where publish keeps its converted images.

WeasyPrint 70 names each raster image in the PDF by the MD5 of its URL. Every figure's
image is now a file in publish's private folder (colour.py), whose path holds the user's
id and the temporary directory: two users, or one with another TMPDIR, would get PDFs
that differ in every image name. The converted file's own name is already a digest of
everything it depends on, so for those files the name alone is hashed. Any other URL is
hashed as WeasyPrint does.
"""
from __future__ import annotations

import hashlib

WEASYPRINT_VERSION = "70.0"


def install() -> bool:
    import weasyprint
    from weasyprint import images
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    if getattr(images.md5, "_publish_patched", False):
        return True
    from ..colour import private_folder
    folder = private_folder().as_uri().encode() + b"/"

    def md5(data: bytes = b"", **kwargs):
        if data.startswith(folder):
            data = b"publish-images:" + data[len(folder):]
        return hashlib.md5(data, **kwargs)
    md5._publish_patched = True
    images.md5 = md5
    return True
