#!/usr/bin/env bash
# Unary requests/s through nms-proxy (gRPC-web over HTTP/1.1 keep-alive, one connection per
# worker as browsers do) vs direct gRPC (one HTTP/2 channel) to the same proxy_test_server, in the
# same run on the same machine, and their ratio. Client, proxy and server share the cores, so the
# absolute numbers are machine-bound; the ratio is the figure to watch.
#
#   bench/proxy_bench.sh [build-dir]        (default: build/ of this repo)
#   env: DURATION=5 (seconds per run), CONCURRENCY=8, ROUNDS=2, PAYLOAD=64 (bytes), PROXY_THREADS=2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bin="$build/deploy/proxy"
DURATION="${DURATION:-5}"
CONCURRENCY="${CONCURRENCY:-8}"
ROUNDS="${ROUNDS:-2}"
PAYLOAD="${PAYLOAD:-64}"
PROXY_THREADS="${PROXY_THREADS:-2}"

for t in nms-proxy proxy_test_server proxy_bench_client; do
  if [ ! -x "$bin/$t" ]; then
    echo "building $t in $build" >&2
    cmake --build "$build" -j2 --target "$t" >&2
  fi
done

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # file pattern → prints the first capture group once it appears
  for _ in $(seq 100); do
    if v=$(grep -oP "$2" "$1" 2>/dev/null | head -1) && [ -n "$v" ]; then echo "$v"; return 0; fi
    sleep 0.05
  done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

"$bin/proxy_test_server" --port=0 >"$work/server.out" 2>&1 &
pids+=($!)
grpc_port=$(wait_for "$work/server.out" 'LISTENING \K\d+')
"$bin/nms-proxy" --listen=127.0.0.1:0 --upstream="127.0.0.1:$grpc_port" --log_requests=false \
  --threads="$PROXY_THREADS" 2>"$work/proxy.err" &
pids+=($!)
proxy_port=$(wait_for "$work/proxy.err" 'listening on 127\.0\.0\.1:\K\d+')

run() {  # mode target duration → rps
  "$bin/proxy_bench_client" --mode="$1" --target="$2" --duration_s="$3" \
    --concurrency="$CONCURRENCY" --payload_bytes="$PAYLOAD" | tee -a "$work/results" >&2
  tail -1 "$work/results" | grep -oP 'rps=\K[0-9.]+'
}

echo "proxy_bench: $(nproc) cores, concurrency $CONCURRENCY, ${DURATION}s x $ROUNDS rounds, ${PAYLOAD}-byte Echo" >&2
run direct "127.0.0.1:$grpc_port" 1 >/dev/null   # warm-up both paths
run proxy "127.0.0.1:$proxy_port" 1 >/dev/null
best_direct=0; best_proxy=0
for _ in $(seq "$ROUNDS"); do  # alternate so drift (thermal, noise) hits both sides
  d=$(run direct "127.0.0.1:$grpc_port" "$DURATION")
  p=$(run proxy "127.0.0.1:$proxy_port" "$DURATION")
  best_direct=$(awk -v a="$best_direct" -v b="$d" 'BEGIN{print (b>a)?b:a}')
  best_proxy=$(awk -v a="$best_proxy" -v b="$p" 'BEGIN{print (b>a)?b:a}')
done
printf 'direct gRPC:         %10.1f req/s\n' "$best_direct"
printf 'via nms-proxy (web): %10.1f req/s\n' "$best_proxy"
awk -v p="$best_proxy" -v d="$best_direct" 'BEGIN{printf "ratio proxy/direct: %.2f\n", (d>0)?p/d:0}'
