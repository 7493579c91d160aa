#!/usr/bin/env bash
# Black-box API test with an independent client (Debian's python3-grpcio): starts a fresh
# database with a small demo region on the test MariaDB, a real nms-server on a free port,
# then runs tests/api/test_api.py against it. Usage: run.sh BUILD_DIR
set -euo pipefail
build=${1:?BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dbdir=${NMS_TEST_DB_DIR:-$build/test-state/db}
gen=$here/gen
mkdir -p "$gen"
protoc -I "$root/proto" -I "$here/protos" --python_out="$gen" --grpc_out="$gen" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
  "$root"/proto/nms/v1/*.proto "$here"/protos/grpc_min/*.proto
port=$(cat "$dbdir/port")
db=api_test
mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot -e "DROP DATABASE IF EXISTS $db"
dsn="mysql://root@127.0.0.1:$port/$db"
"$build/nmsctl" demo --db "$dsn" --teachers 300 --schools 30 --demo_password apitest123 >/dev/null
server_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$dbdir/api-server.log
"$build/nms-server" --listen="127.0.0.1:$server_port" --db="$dsn" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
NMS_API_ADDRESS=127.0.0.1:$server_port NMS_API_PASSWORD=apitest123 PYTHONPATH="$gen" \
  bash -c "cd \"$here\" && exec /usr/bin/python3 -m unittest -v test_api" 2>&1
