#!/usr/bin/env bash
# Build the documentation site (docs/_build/html) with warnings as errors: API reference from the
# docstrings, the user guide, and the notebooks executed with their outputs.
# Usage: bash scripts/build_docs.sh   (needs the `docs` extra: pip install -e ".[docs]")
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
rm -rf docs/_build docs/generated docs/notebooks docs/api.rst
"$python" -m sphinx -W --keep-going -q -b html docs docs/_build/html
echo "docs: $(find docs/_build/html -name '*.html' | wc -l) pages in docs/_build/html"
