#!/usr/bin/env bash
# End-to-end tests of nms-proxy with a real gRPC-web client (connect-web) in Node.
# Installs the pinned npm packages on first use, generates JS stubs for echo.proto with
# protoc-gen-es (into the ignored gen/), then runs node's test runner.
# Needs NMS_PROXY_BIN and NMS_PROXY_TEST_SERVER_BIN (CTest sets both).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${NMS_PROXY_BIN:?path of the nms-proxy binary}"
: "${NMS_PROXY_TEST_SERVER_BIN:?path of the proxy_test_server binary}"

if [ ! -x "$here/node_modules/.bin/protoc-gen-es" ] || [ ! -d "$here/node_modules/@connectrpc/connect-web" ]; then
  npm ci --prefix "$here" --no-audit --no-fund
fi
mkdir -p "$here/gen"
protoc --plugin=protoc-gen-es="$here/node_modules/.bin/protoc-gen-es" \
  --es_out="$here/gen" --es_opt=target=js+dts,import_extension=js \
  -I "$here" "$here/echo.proto"
exec node --test --test-reporter=spec "$here/proxy.test.mjs"
