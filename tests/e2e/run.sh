#!/usr/bin/env bash
# Browser tests of the НМС web client against its own real stack on free loopback ports:
# user-space MariaDB + demo region, nms-server, nms-proxy serving clients/web/dist.
# Usage: tests/e2e/run.sh [BUILD_DIR]   (default /work/main/build; needs nms-server, nmsctl,
# nms-proxy there, top level or under deploy/proxy/). Screenshots go to <repo>/out/screenshots/web/.
# Everything started here is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
web="$repo/clients/web"
for bin in nms-server nmsctl; do
  [[ -x $build/$bin ]] || { echo "missing $build/$bin (build it first)" >&2; exit 2; }
done
proxy_bin=$build/nms-proxy
[[ -x $proxy_bin ]] || proxy_bin=$build/deploy/proxy/nms-proxy
[[ -x $proxy_bin ]] || { echo "missing nms-proxy in $build (build it first)" >&2; exit 2; }
[[ -x /usr/bin/chromium ]] || { echo "missing /usr/bin/chromium (apt-get install chromium)" >&2; exit 2; }

# npm packages (pinned by package-lock.json) and the web build.
# npm ci refuses locks whose optional per-platform packages (buf's binaries) were pruned on
# another platform; npm install still honours the pinned versions.
npm_setup() { (cd "$1" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error; }); }
[[ -d $here/node_modules/playwright-core ]] || npm_setup "$here"
[[ -x $web/node_modules/.bin/vite && -x $web/node_modules/.bin/buf ]] || npm_setup "$web"
if [[ ! -f $web/dist/index.html ]] || [[ -n $(find "$web/src" "$web/index.html" "$repo/proto" -newer "$web/dist/index.html" -type f ! -path '*/src/gen/*' 2>/dev/null | head -1) ]]; then
  echo "building the web client"
  (cd "$web" && npm run build --silent)
fi

state="$(mktemp -d /tmp/nms-e2e.XXXXXX)"
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$repo/deploy/dev/db.sh" stop "$state/db" >/dev/null 2>&1 || true
  if [[ $rc -ne 0 ]]; then
    echo "--- server log (tail)"; tail -n 30 "$state/server.log" 2>/dev/null || true
    echo "--- proxy log (tail)"; tail -n 30 "$state/proxy.log" 2>/dev/null || true
  fi
  rm -rf "$state"
  exit $rc
}
trap cleanup EXIT INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$repo/deploy/dev/db.sh" start "$state/db" >/dev/null
db_port=$(cat "$state/db/port")
dsn="mysql://root@127.0.0.1:$db_port/nms_e2e"
echo "loading the demo region"
"$build/nmsctl" demo --db "$dsn" --migrations_dir "$repo/schema/migrations" >"$state/demo.log" 2>&1 || { cat "$state/demo.log" >&2; exit 1; }

head -c 48 /dev/urandom | base64 >"$state/token_secret"
server_port=$(free_port)
"$build/nms-server" --listen="127.0.0.1:$server_port" --db="$dsn" --token_secret_file="$state/token_secret" \
  --migrations_dir="$repo/schema/migrations" >"$state/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q '"listening"' "$state/server.log" 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "nms-server exited" >&2; exit 1; }
  sleep 0.1
done

proxy_port=$(free_port)
"$proxy_bin" --listen="127.0.0.1:$proxy_port" --upstream="127.0.0.1:$server_port" \
  --static=/="$web/dist" --cors_origins='*' >"$state/proxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$proxy_port/" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "stack: web http://127.0.0.1:$proxy_port/  server 127.0.0.1:$server_port  db $db_port"
export NMS_WEB_URL="http://127.0.0.1:$proxy_port/"
export NMS_E2E_DB_PORT="$db_port" NMS_E2E_DB_NAME="nms_e2e"
export NMS_SCREENSHOTS="${NMS_SCREENSHOTS:-$repo/out/screenshots/web}"
mkdir -p "$NMS_SCREENSHOTS"
node --test --test-reporter=spec --test-concurrency=1 "$here/web.test.mjs"
