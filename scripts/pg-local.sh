#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for development, tests and CI (issue 17).
#
#   scripts/pg-local.sh start     start it (creating the cluster, role and database on first use),
#                                 then print the DATABASE_URL; does nothing more if it already runs
#   scripts/pg-local.sh url       print the DATABASE_URL
#   scripts/pg-local.sh status    say whether it runs
#   scripts/pg-local.sh stop      stop it, keeping its data directory
#   scripts/pg-local.sh destroy   stop it and delete its data directory
#
# Settings (environment): PG_LOCAL_PORT (54329), PG_LOCAL_DIR (/tmp/kb-pg-<port>), PG_BIN (the
# directory of initdb and pg_ctl; by default the newest /usr/lib/postgresql/*/bin, else $PATH).
# The server listens on 127.0.0.1 only. TCP logins need a password (scram-sha-256), so a wrong
# password is refused as on a real server; the superuser `postgres` logs in over the Unix socket
# in the data directory only. The role `kb` (password `kb`, allowed to create databases, which
# the PostgreSQL tests do) owns the database `kb`.
#
# PostgreSQL refuses to run as root: run as root (CI), the script runs the server as the OS user
# `postgres`, creating that user if it is missing (Debian's postgresql package creates it).
set -euo pipefail

PORT="${PG_LOCAL_PORT:-54329}"
DATA="$(realpath -m "${PG_LOCAL_DIR:-/tmp/kb-pg-${PORT}}")"
ROLE=kb
PASSWORD=kb
DBNAME=kb
URL="postgres://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/${DBNAME}"

die() { echo "pg-local: $*" >&2; exit 1; }

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return; fi
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
  die "no PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL (Debian: apt-get install postgresql) or set PG_BIN"
}
BIN="$(find_bin)"

# Runs a command as the server's OS user: `postgres` when we are root, ourselves otherwise (from
# /, which every user may enter, so that no tool warns about root's working directory).
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

ensure_os_user() {
  [ "$(id -u)" = 0 ] || return 0
  id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    || die "could not create the OS user postgres"
}

running() {
  [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# psql as the superuser over the Unix socket in the data directory.
PSQL="$BIN/psql"
[ -x "$PSQL" ] || PSQL=psql
admin_psql() {
  as_owner "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres -d postgres "$@"
}

start() {
  ensure_os_user
  if ! [ -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres: "$DATA"
    chmod 700 "$DATA"
    # UTF-8 with the ICU root locale where available, so that lower() folds every script.
    local locale_args=(--locale=C.UTF-8)
    if "$BIN/initdb" --help 2>/dev/null | grep -q -- "--locale-provider"; then locale_args=(--locale=C.UTF-8 --locale-provider=icu --icu-locale=und); fi
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 "${locale_args[@]}" --auth-local=trust --auth-host=scram-sha-256 >"$DATA.initdb.log" 2>&1 \
      || { cat "$DATA.initdb.log" >&2; die "initdb failed (log above)"; }
  fi
  if ! running; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA" start >/dev/null \
      || { tail -n 20 "$DATA/server.log" >&2 || true; die "the server did not start (log above: $DATA/server.log)"; }
  fi
  admin_psql <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${ROLE}') THEN
    CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD}';
  END IF;
END \$\$;
SQL
  if [ -z "$(admin_psql -tA -c "SELECT 1 FROM pg_database WHERE datname = '${DBNAME}'")" ]; then
    admin_psql -c "CREATE DATABASE ${DBNAME} OWNER ${ROLE}"
  fi
  echo "$URL"
}

stop() {
  if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
}

case "${1:-}" in
  start) start ;;
  url) echo "$URL" ;;
  status) if running; then echo "running on 127.0.0.1:${PORT} (data: ${DATA})"; else echo "not running"; exit 3; fi ;;
  stop) stop ;;
  destroy) stop; rm -rf "$DATA" "$DATA.initdb.log" ;;
  *) echo "usage: scripts/pg-local.sh start|stop|url|status|destroy" >&2; exit 2 ;;
esac
