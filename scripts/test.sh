#!/usr/bin/env bash
# Install everything the test suite needs, then lint, type-check, run the tests and build the docs.
#   - Python: a .venv with the package and its `test` extra (Playwright, Leaflet assets,
#     matplotlib, dask, SQLAlchemy/GeoAlchemy2/psycopg)
#   - Debian: Chromium (browser tests), Noto CJK fonts (Chinese text in maps and charts),
#     python3-qgis (GeoPackage styles opened in real QGIS, headless) and PostgreSQL + PostGIS (a throwaway cluster on 127.0.0.1 for the database tests), installed
#     with apt-get when missing and we are root; without them those tests skip on a laptop and
#     fail in CI.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need_apt+=(postgresql postgresql-15-postgis-3)
/usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1 || need_apt+=(python3-qgis)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "note: not root, so not installing ${need_apt[*]}; browser tests will skip" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test,docs]"

if [ "$(id -u)" = 0 ] && [ -z "${LANDUSE_TEST_PG_URL:-}" ]; then
  pg_env=$(bash scripts/postgis.sh start)   # an assignment, so that a failure stops here
  eval "$pg_env"
  trap 'bash scripts/postgis.sh stop' EXIT
fi

.venv/bin/ruff check .
.venv/bin/mypy
# the documentation site, warnings as errors (API reference, guide, notebooks executed)
bash scripts/build_docs.sh
.venv/bin/pytest "$@"
