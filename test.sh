#!/usr/bin/env bash
# Run the test suite (setting up first if needed), in parallel: one worker per core,
# each test file on one worker (so a module's built PDFs are built once). Extra arguments
# go to pytest, e.g. ./test.sh -q, ./test.sh -m "not slow" (the fast tests, no render).
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --no-build
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
