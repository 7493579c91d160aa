#!/usr/bin/env bash
# Browser tests of the НМС clients against one real stack (see stack.sh): user-space MariaDB +
# demo region, nms-server, nms-proxy serving the web client at / and the teachers' PWA at /m/.
# Usage: tests/e2e/run.sh [BUILD_DIR] [SUITE...]   SUITE = web | mobile (default: every
# tests/e2e/*.test.mjs). BUILD_DIR defaults to <repo>/build and needs nms-server, nmsctl and
# nms-proxy (top level or under deploy/proxy/). Screenshots go to <repo>/out/screenshots/<suite>/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)"
shift $(( $# > 0 ? 1 : 0 ))
suites=("$@")
if ((${#suites[@]} == 0)); then
  for f in "$here"/*.test.mjs; do suites+=("$(basename "$f" .test.mjs)"); done
fi
for s in "${suites[@]}"; do
  [[ -f $here/$s.test.mjs ]] || { echo "unknown suite '$s' (no $here/$s.test.mjs)" >&2; exit 2; }
done

# shellcheck source=stack.sh
source "$here/stack.sh"
e2e_stack_start "$build"

rc=0
for s in "${suites[@]}"; do
  export NMS_SCREENSHOTS="$repo/out/screenshots/$s"
  mkdir -p "$NMS_SCREENSHOTS"
  echo "== suite $s (screenshots in $NMS_SCREENSHOTS)"
  node --test --test-reporter=spec --test-concurrency=1 "$here/$s.test.mjs" || rc=1
done
exit $rc
