#!/usr/bin/env bash
# Run the test suite (setting up first if needed). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
./setup.sh --no-build
exec .venv/bin/python -m pytest "$@"
