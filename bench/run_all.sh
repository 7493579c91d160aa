#!/usr/bin/env bash
# Runs every benchmark of bench/ one after another on one user-space MariaDB (build/bench-state/db,
# started if needed and left running for the next run) and keeps each one's output in
# out/bench/<name>.txt. Every benchmark prints its own same-run baseline and ratio; this script
# only orders them and prints the lines that carry the figures.
#
#   bench/run_all.sh [NAME...]     NAME = matching adaptive routes indicators young feed proxy rpc bulk
#                                  (default: all, in that order; rpc and bulk load a
#                                  100 000-teacher region and take the longest)
# Env: NMS_BUILD_DIR (default build/), TEACHERS (100000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${NMS_BUILD_DIR:-$root/build}
out=$root/out/bench
teachers=${TEACHERS:-100000}
mkdir -p "$out"
names=("$@")
((${#names[@]})) || names=(matching adaptive routes indicators young feed proxy rpc bulk)

db_dir=$build/bench-state/db
"$root/deploy/dev/db.sh" start "$db_dir" >/dev/null
port=$(cat "$db_dir/port")
dsn() { echo "mysql://root@127.0.0.1:$port/$1"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

feed() {
  local secret=$build/bench-state/feed-secret port_s pid
  [[ -s $secret ]] || head -c 48 /dev/urandom | base64 >"$secret"
  port_s=$(free_port)
  "$build/nms-server" --listen="127.0.0.1:$port_s" --db="$(dsn nms_bench_feed)" --token_secret_file="$secret" \
    --log_level=warn 2>>"$out/feed-server.log" &
  pid=$!
  for _ in $(seq 1 100); do "$build/nmsctl" health --server "127.0.0.1:$port_s" >/dev/null 2>&1 && break; sleep 0.2; done
  local rc=0
  "$build/change_feed_bench" --db="$(dsn nms_bench_feed)" --server="127.0.0.1:$port_s" --rows=100000 || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return $rc
}

run() {
  case $1 in
    matching) "$build/matching_bench" ;;
    adaptive) "$build/adaptive_bench" && "$build/adaptive_bench" --bank_per_indicator=10 ;;
    routes) "$build/route_generation_bench" --db="$(dsn nms_bench_routes)" --teachers="$teachers" ;;
    indicators) "$build/indicators_bench" --db="$(dsn nms_bench_indicators)" --teachers="$teachers" ;;
    young) "$build/young_cohort_bench" --db="$(dsn nms_bench_young)" --teachers="$teachers" ;;
    feed) feed ;;
    proxy) "$root/bench/proxy_bench.sh" "$build" ;;
    rpc) "$build/rpc_bench" --teachers="$teachers" ;;
    bulk) "$build/bulk_load_bench" --teachers="$teachers" --dsn="mysql://root@127.0.0.1:$port" ;;
    *) echo "unknown benchmark '$1'" >&2; return 2 ;;
  esac
}

for name in "${names[@]}"; do
  printf '\033[1m==> %s\033[0m\n' "$name"
  start=$SECONDS
  run "$name" 2>&1 | tee "$out/$name.txt"
  echo "($name: $((SECONDS - start)) s, output in out/bench/$name.txt)"
done
