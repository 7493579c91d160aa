#!/usr/bin/env bash
# Two nms-server replicas behind haproxy (gRPC over HTTP/2, checked with gRPC health), on a
# database reached through the same haproxy (TCP, one Galera node active, the others standby).
# Start the Galera cluster first (deploy/galera/cluster.sh start GALERA_DIR).
#
#   stack.sh start DIR GALERA_DIR    pick free ports, write DIR/haproxy.cfg, start haproxy and
#                                    both replicas (shared token secret), wait until served
#   stack.sh stop DIR                stop the replicas and haproxy
#   stack.sh kill-server DIR N       SIGKILL replica N;  stack.sh start-server DIR N  starts it
#   stack.sh address DIR             host:port of the gRPC load balancer
#   stack.sh db DIR                  DSN of the database behind the load balancer
# Build dir: NMS_BUILD_DIR (default ./build of the checkout).
set -euo pipefail
cmd=${1:?usage: stack.sh start|stop|kill-server|start-server|address|db DIR [...]}
dir=$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${NMS_BUILD_DIR:-$root/build}

port_of() { awk -v k="$1" '$1 == k {print $2}' "$dir/ports"; }
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_server() {
  local n=$1
  alive "$dir/replica$n.pid" && return 0
  nohup "$build/nms-server" --listen="127.0.0.1:$(port_of "replica$n")" \
    --db="mysql://root@127.0.0.1:$(port_of db)/nms" --token_secret_file="$dir/token-secret" \
    >>"$dir/replica$n.log" 2>&1 &
  echo $! >"$dir/replica$n.pid"
  for _ in $(seq 1 120); do
    "$build/nmsctl" health --server "127.0.0.1:$(port_of "replica$n")" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "replica $n did not start; see $dir/replica$n.log" >&2
  return 1
}

case $cmd in
  start)
    galera=$(cd "${3:?GALERA_DIR}" && pwd)
    read -r -a p <<<"$(/usr/bin/python3 -c '
import socket
s = [socket.socket() for _ in range(4)]
for x in s: x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))')"
    printf 'grpc %s\ndb %s\nreplica1 %s\nreplica2 %s\n' "${p[0]}" "${p[1]}" "${p[2]}" "${p[3]}" >"$dir/ports"
    [[ -s $dir/token-secret ]] || head -c 48 /dev/urandom | base64 >"$dir/token-secret"
    sed -e "s|@NMSCTL@|$build/nmsctl|" "$here/grpc_health_check.sh" >"$dir/grpc_health_check.sh"
    chmod +x "$dir/grpc_health_check.sh"
    sed -e "s|@DIR@|$dir|g" -e "s|@GRPC_PORT@|${p[0]}|" -e "s|@DB_PORT@|${p[1]}|" \
        -e "s|@REPLICA1_PORT@|${p[2]}|" -e "s|@REPLICA2_PORT@|${p[3]}|" \
        -e "s|@NODE1_PORT@|$("$root/deploy/galera/cluster.sh" port "$galera" 1)|" \
        -e "s|@NODE2_PORT@|$("$root/deploy/galera/cluster.sh" port "$galera" 2)|" \
        -e "s|@NODE3_PORT@|$("$root/deploy/galera/cluster.sh" port "$galera" 3)|" \
        "$here/haproxy.cfg.in" >"$dir/haproxy.cfg"
    haproxy -c -q -f "$dir/haproxy.cfg"
    # In the foreground (no -D) so its log (server up/down, check results) lands in the file.
    nohup haproxy -f "$dir/haproxy.cfg" >>"$dir/haproxy.log" 2>&1 &
    echo $! >"$dir/haproxy.pid"
    # The database behind haproxy must answer before the replicas migrate.
    for _ in $(seq 1 60); do
      mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"${p[1]}" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
      sleep 0.5
    done
    start_server 1
    start_server 2
    for _ in $(seq 1 60); do
      "$build/nmsctl" health --server "127.0.0.1:${p[0]}" >/dev/null 2>&1 && break
      sleep 0.5
    done
    "$build/nmsctl" health --server "127.0.0.1:${p[0]}" >/dev/null
    echo "gRPC load balancer 127.0.0.1:${p[0]} -> replicas ${p[2]}, ${p[3]}; database 127.0.0.1:${p[1]} -> Galera"
    ;;
  stop)
    for n in 1 2; do
      if alive "$dir/replica$n.pid"; then kill "$(cat "$dir/replica$n.pid")"; fi
    done
    for n in 1 2; do
      if [[ -f $dir/replica$n.pid ]]; then
        pid=$(cat "$dir/replica$n.pid")
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/replica$n.pid"
      fi
    done
    if alive "$dir/haproxy.pid"; then kill "$(cat "$dir/haproxy.pid")"; fi
    rm -f "$dir/haproxy.pid"
    ;;
  kill-server)
    n=${3:?replica}
    if alive "$dir/replica$n.pid"; then kill -9 "$(cat "$dir/replica$n.pid")"; echo "replica $n killed"; fi
    ;;
  start-server) start_server "${3:?replica}" ;;
  address) echo "127.0.0.1:$(port_of grpc)" ;;
  db) echo "mysql://root@127.0.0.1:$(port_of db)/nms" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
