# Sourced by the comparison benchmarks: starts a throwaway PostgreSQL (fsync off, loopback only) in a new
# directory, stopped and removed when the script exits. Sets work, port and as (the run-as prefix: initdb
# refuses root, so the server runs as nobody then), exports PGHOST/PGPORT/PGUSER for psql and the other
# tools, and defines q (psql that stops at the first error).
#   . scripts/lib/throwaway-server.sh <work-dir-prefix>
work=$(mktemp -d "/tmp/${1:-etlpool-bench}.XXXXXX")
port=$((20000 + RANDOM % 20000))
as=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$work"; as=(runuser -u nobody --)
fi
"${as[@]}" initdb -D "$work/data" -U postgres -A trust >/dev/null
"${as[@]}" pg_ctl -D "$work/data" -l "$work/data/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_wal_size=4GB" start >/dev/null
trap '"${as[@]}" pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGOPTIONS='-c client_min_messages=warning'
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
