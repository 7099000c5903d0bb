#!/usr/bin/env bash
# Start a throwaway PostgreSQL + PostGIS cluster on 127.0.0.1 for the tests; print its URL.
# Usage (sourced by scripts/test.sh): eval "$(bash scripts/postgis.sh start)"; … ; bash scripts/postgis.sh stop
set -euo pipefail
STATE=${LANDUSE_PG_STATE:-/tmp/landuse-pg-cluster}  # one state file per concurrent user

case "${1:-start}" in
start)
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [ -n "$bin" ] || { echo "echo 'PostgreSQL is not installed' >&2"; exit 0; }
  bash "$0" stop >/dev/null 2>&1 || true
  # a free port on loopback, so a cluster left running elsewhere never collides
  PORT=${LANDUSE_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  data=$(mktemp -d /tmp/landuse-pg.XXXXXX)
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  echo "$password" > "$data/pw"
  chown -R postgres "$data"
  su postgres -c "$bin/initdb -D $data/db -U postgres --auth=scram-sha-256 --pwfile=$data/pw" >/dev/null
  su postgres -c "$bin/pg_ctl -D $data/db -l $data/log -w -o '-p $PORT -k $data -c listen_addresses=127.0.0.1' start" >/dev/null
  export PGPASSWORD=$password
  psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE landuse_test" >/dev/null
  psql -h 127.0.0.1 -p "$PORT" -U postgres -d landuse_test -qc "CREATE EXTENSION postgis" >/dev/null
  echo "$bin $data" > "$STATE"
  echo "export LANDUSE_TEST_PG_URL='postgresql://postgres:$password@127.0.0.1:$PORT/landuse_test'"
  ;;
stop)
  [ -f "$STATE" ] || exit 0
  read -r bin data < "$STATE"
  su postgres -c "$bin/pg_ctl -D $data/db -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$data" "$STATE"
  ;;
esac
