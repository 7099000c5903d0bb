#!/usr/bin/env bash
# Install everything the test suite needs into .venv, then lint, type-check and run the tests.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"

.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/pytest "$@"
