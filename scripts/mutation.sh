#!/usr/bin/env bash
# Mutation testing of landuse modules against their own tests (see scripts/mutate.py).
#   bash scripts/mutation.sh rules stats zones areas        # the full sweep (~30 min, 2 cores)
#   bash scripts/mutation.sh stats --lines 300-340          # while iterating
#   bash scripts/mutation.sh zones --list                   # the mutants, not run
# Options: --jobs N (default 2), --limit N, --lines A-B, --kinds compare,const,…, --timeout S,
# --json FILE. Equivalent survivors: scripts/mutation_equivalent.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
if ! "$PY" -c "import coverage" 2>/dev/null; then
    echo "coverage is needed: pip install -e '.[test]'" >&2
    exit 2
fi
exec "$PY" scripts/mutate.py "$@"
