#!/usr/bin/env bash
# `npm test`: the whole jest suite (--runInBand) in two passes (jest.config.ts's projects): every
# test on SQLite, and every test that goes through the server's storage again on PostgreSQL, when
# there is a PostgreSQL to run them against (issue 17). Extra arguments go to jest
# (`npm test -- test/x.test.ts`).
#
#   TEST_DATABASE_URL set       both passes; the PostgreSQL tests run against it; nothing is started.
#   PostgreSQL installed        (the binaries of scripts/pg-local.sh: $PG_BIN, /usr/lib/postgresql/*/bin
#                               or pg_ctl on $PATH) the throwaway local server is started with
#                               scripts/pg-local.sh start, and stopped afterwards if it was not
#                               already running.
#   neither, or NO_POSTGRES=1   the SQLite pass only, and one line says the PostgreSQL pass and the
#                               PostgreSQL test files are skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JEST="$ROOT/node_modules/.bin/jest"
PG_LOCAL="$ROOT/scripts/pg-local.sh"

# The test files that skip without PostgreSQL (test/postgres/pg-env.ts's describePostgres).
pg_files() { grep -l describePostgres test/postgres/*.test.ts 2>/dev/null | wc -l; }

have_postgres() {
  if [ -n "${PG_BIN:-}" ]; then [ -x "$PG_BIN/pg_ctl" ]; return; fi
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null && return 0
  command -v pg_ctl >/dev/null 2>&1
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if [ -n "${NO_POSTGRES:-}" ]; then
    echo "PostgreSQL hidden (NO_POSTGRES is set): the PostgreSQL pass and the $(pg_files) PostgreSQL test files are skipped; unset it or set TEST_DATABASE_URL to run them" >&2
  elif have_postgres; then
    if ! "$PG_LOCAL" status >/dev/null 2>&1; then
      # Stopped on any exit, jest's failure or Ctrl-C included.
      trap '"$PG_LOCAL" stop || echo "npm test: could not stop the local PostgreSQL (scripts/pg-local.sh stop)" >&2' EXIT
      trap 'exit 130' INT
      trap 'exit 143' TERM
    fi
    TEST_DATABASE_URL="$("$PG_LOCAL" start)" \
      || { echo "npm test: the local PostgreSQL did not start (above); NO_POSTGRES=1 npm test runs without it" >&2; exit 1; }
    export TEST_DATABASE_URL
    echo "PostgreSQL tests: against the local throwaway server ($TEST_DATABASE_URL, scripts/pg-local.sh)" >&2
  else
    echo "PostgreSQL not found: the PostgreSQL pass and the $(pg_files) PostgreSQL test files are skipped; install postgresql or set TEST_DATABASE_URL" >&2
  fi
fi

# The projects come after the caller's arguments: --selectProjects takes every word after it.
projects=(sqlite)
[ -n "${TEST_DATABASE_URL:-}" ] && projects+=(postgres)
# Not exec: the EXIT trap must run after jest; jest's exit code is the script's.
"$JEST" --runInBand "$@" --selectProjects "${projects[@]}"
