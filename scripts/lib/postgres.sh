# A throwaway PostgreSQL cluster for the storage tests: Debian's postgresql installed when
# missing, a cluster of its own in a temporary folder (fsync off, trust on loopback and its own
# socket only, a free port on 127.0.0.1), stopped and deleted by stop_test_postgres.
# Sourced after setup.sh (it uses say and apt_install). Sets SHOPPER_TEST_POSTGRES_URL.

PG_TEST_DIR=""
PG_BIN=""

ensure_postgres() {
  if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    apt_install postgresql
  fi
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
}

# initdb and the server refuse to run as root: as root they run as Debian's postgres user.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_test_postgres() {
  ensure_postgres
  PG_TEST_DIR="$(mktemp -d /tmp/smart-shopper-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_TEST_DIR"
  local port
  port="$(free_port)"
  say "PostgreSQL: a throwaway cluster in $PG_TEST_DIR on 127.0.0.1:$port"
  as_pg_owner "$PG_BIN/initdb" -D "$PG_TEST_DIR/data" -U shopper -A trust --no-sync -E UTF8 >/dev/null
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start
  as_pg_owner "$PG_BIN/createdb" -h "$PG_TEST_DIR" -p "$port" -U shopper shopper_test
  export SHOPPER_TEST_POSTGRES_URL="postgres://shopper@127.0.0.1:$port/shopper_test"
}

stop_test_postgres() {
  [ -n "$PG_TEST_DIR" ] || return 0
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w -s stop || true
  rm -rf "$PG_TEST_DIR"
  PG_TEST_DIR=""
}
