#!/usr/bin/env bash
# Set up publish on a Debian machine and build the archive of back issues.
#   ./setup.sh             system packages, .venv with publish, then build every issue into dist/
#   ./setup.sh --no-build  the same without the build
set -euo pipefail
cd "$(dirname "$0")"

# WeasyPrint's native libraries, HarfBuzz's subsetter (about 4.5x faster font
# subsetting than the fontTools fallback), poppler-utils (pdftotext, pdffonts and
# pdftoppm, used by the tests and for looking at pages), Python's venv, git (publish diff
# builds a git ref) and Chromium (the tests open
# the preview and the diff report in it, through Playwright; Playwright's own browser
# download is not used), Ghostscript (the tests re-save a PDF through it, as a printer's
# workflow may, and check the result; its ICC profiles stand in for a swapped output
# profile), MuPDF's mutool (the tests draw every archive page with it, a renderer that
# resolves glyphs as a RIP does, and compare it with PDFium).
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 poppler-utils python3-venv git chromium ghostscript mupdf-tools"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing system packages:$missing"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

PYTHON=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PYTHON="$candidate"; break
  fi
done
[ -n "$PYTHON" ] || { echo "setup: publish needs Python 3.11 or newer" >&2; exit 1; }

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
echo "setup: publish installed in .venv ($(.venv/bin/python --version))"

if [ "${1:-}" != "--no-build" ]; then
  .venv/bin/publish build --all --jobs "$(nproc 2>/dev/null || echo 1)"
fi
