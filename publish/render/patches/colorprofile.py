"""The output profile embedded as the file it is: a patch to WeasyPrint 70.

WeasyPrint reads an @color-profile with Pillow's LittleCMS and embeds what LittleCMS
writes back (ImageCmsProfile.tobytes()): another file, twice as large (500,516 bytes
for the 246,964 of layouts/base/color/FOGRA39-publish.icc), whose digest no printer's
portal knows. publish embeds the profile's own bytes, as PDF/X means it to be
(ISO 15930-7: the output intent carries the characterised condition's profile), so a
profile is recognised by its content and costs what it weighs.
"""
from __future__ import annotations

import io

WEASYPRINT_VERSION = "70.0"


def install() -> bool:
    import weasyprint
    from weasyprint import css
    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    profile = css.ColorProfile
    if getattr(profile.__init__, "_publish_patched", False):
        return True
    original = profile.__init__

    def __init__(self, file_object, *args, **kwargs):
        data = file_object.read()
        self._publish_bytes = data
        original(self, io.BytesIO(data), *args, **kwargs)

    __init__._publish_patched = True
    __init__._publish_original = original
    profile.__init__ = __init__
    profile.content = property(lambda self: getattr(self, "_publish_bytes", None)
                               or self._profile.tobytes())
    return True
