# Shared stack starter of the browser suites (sourced by run.sh): builds the clients when their
# sources are newer than dist/, then starts on free loopback ports a user-space MariaDB with the
# demo region, nms-server, and nms-proxy serving clients/web/dist at / and clients/mobile/dist at
# /m/ (same origin as the API). Everything it starts is stopped on exit.
# Exports: NMS_E2E_BASE (http://127.0.0.1:PORT/), NMS_WEB_URL, NMS_MOBILE_URL, NMS_E2E_DB_PORT,
# NMS_E2E_DB_NAME. Env: NMS_E2E_DEMO_ARGS (extra `nmsctl demo` flags, e.g. smaller sizes).

e2e_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
e2e_repo="$(cd "$e2e_here/../.." && pwd)"

# npm ci refuses locks whose optional per-platform packages (buf's binaries) were pruned on
# another platform; npm install still honours the pinned versions.
e2e_npm_setup() { (cd "$1" && { npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error; }); }

# Builds one client (clients/<name>) when dist/ is missing or older than its sources or the protos.
e2e_build_client() {
  local dir="$e2e_repo/clients/$1"
  [[ -f $dir/package.json ]] || return 0
  [[ -x $dir/node_modules/.bin/vite && -x $dir/node_modules/.bin/buf ]] || e2e_npm_setup "$dir"
  if [[ ! -f $dir/dist/index.html ]] || [[ -n $(find "$dir/src" "$dir/index.html" "$dir/public" "$dir/sw" "$dir/vite.config.ts" "$e2e_repo/clients/shared" "$e2e_repo/proto" -newer "$dir/dist/index.html" -type f ! -path '*/src/gen/*' 2>/dev/null | head -1) ]]; then
    echo "building clients/$1"
    (cd "$dir" && npm run build --silent)
  fi
}

# JS stubs for the suites' own API calls.
e2e_gen_stubs() {
  local mobile="$e2e_repo/clients/mobile"
  [[ -x $mobile/node_modules/.bin/buf ]] || e2e_npm_setup "$mobile"
  if [[ ! -d $e2e_here/gen ]] || [[ $e2e_here/buf.gen.yaml -nt $e2e_here/gen ]] || [[ -n $(find "$e2e_repo/proto" -newer "$e2e_here/gen" -type f | head -1) ]]; then
    (cd "$e2e_here" && "$mobile/node_modules/.bin/buf" generate ../../proto --template buf.gen.yaml && touch gen)
  fi
}

e2e_free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

e2e_stack_start() {
  local build="$1"
  for bin in nms-server nmsctl; do
    [[ -x $build/$bin ]] || { echo "missing $build/$bin (build it first)" >&2; return 2; }
  done
  local proxy_bin=$build/nms-proxy
  [[ -x $proxy_bin ]] || proxy_bin=$build/deploy/proxy/nms-proxy
  [[ -x $proxy_bin ]] || { echo "missing nms-proxy in $build (build it first)" >&2; return 2; }
  [[ -x /usr/bin/chromium ]] || { echo "missing /usr/bin/chromium (apt-get install chromium)" >&2; return 2; }
  [[ -d $e2e_here/node_modules/playwright-core && -d $e2e_here/node_modules/@connectrpc/connect-web ]] || e2e_npm_setup "$e2e_here"
  e2e_build_client web
  e2e_build_client mobile
  e2e_gen_stubs

  e2e_state="$(mktemp -d /tmp/nms-e2e.XXXXXX)"
  e2e_pids=()
  trap e2e_stack_stop EXIT INT TERM

  "$e2e_repo/deploy/dev/db.sh" start "$e2e_state/db" >/dev/null
  local db_port; db_port=$(cat "$e2e_state/db/port")
  local dsn="mysql://root@127.0.0.1:$db_port/nms_e2e"
  echo "loading the demo region"
  # shellcheck disable=SC2086
  "$build/nmsctl" demo --db "$dsn" --migrations_dir "$e2e_repo/schema/migrations" ${NMS_E2E_DEMO_ARGS:-} >"$e2e_state/demo.log" 2>&1 || { cat "$e2e_state/demo.log" >&2; return 1; }

  head -c 48 /dev/urandom | base64 >"$e2e_state/token_secret"
  local server_port; server_port=$(e2e_free_port)
  "$build/nms-server" --listen="127.0.0.1:$server_port" --db="$dsn" --token_secret_file="$e2e_state/token_secret" \
    --migrations_dir="$e2e_repo/schema/migrations" >"$e2e_state/server.log" 2>&1 &
  e2e_pids+=($!)
  for _ in $(seq 1 100); do
    grep -q '"listening"' "$e2e_state/server.log" 2>/dev/null && break
    kill -0 "${e2e_pids[0]}" 2>/dev/null || { echo "nms-server exited" >&2; return 1; }
    sleep 0.1
  done

  local statics=()
  [[ -f $e2e_repo/clients/web/dist/index.html ]] && statics+=(--static=/="$e2e_repo/clients/web/dist")
  [[ -f $e2e_repo/clients/mobile/dist/index.html ]] && statics+=(--static=/m/="$e2e_repo/clients/mobile/dist")
  local proxy_port; proxy_port=$(e2e_free_port)
  "$proxy_bin" --listen="127.0.0.1:$proxy_port" --upstream="127.0.0.1:$server_port" --max_message_bytes=$((8 << 20)) \
    "${statics[@]}" >"$e2e_state/proxy.log" 2>&1 &
  e2e_pids+=($!)
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$proxy_port/m/" && break
    sleep 0.1
  done

  echo "stack: http://127.0.0.1:$proxy_port/ (web), /m/ (mobile)  server 127.0.0.1:$server_port  db $db_port"
  export NMS_E2E_BASE="http://127.0.0.1:$proxy_port/"
  export NMS_WEB_URL="$NMS_E2E_BASE" NMS_MOBILE_URL="${NMS_E2E_BASE}m/"
  export NMS_E2E_DB_PORT="$db_port" NMS_E2E_DB_NAME="nms_e2e"
}

e2e_stack_stop() {
  local rc=$?
  for pid in "${e2e_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${e2e_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$e2e_repo/deploy/dev/db.sh" stop "$e2e_state/db" >/dev/null 2>&1 || true
  if [[ $rc -ne 0 ]]; then
    echo "--- server log (tail)"; tail -n 30 "$e2e_state/server.log" 2>/dev/null || true
    echo "--- proxy log (tail)"; tail -n 30 "$e2e_state/proxy.log" 2>/dev/null || true
  fi
  rm -rf "$e2e_state"
  exit $rc
}
