#!/usr/bin/env bash
# A 3-node MariaDB Galera cluster (galera-4) on loopback, for the scale-out test and for trying
# НМС past one database machine. Each node has its own datadir, socket, SQL port, group
# communication port (gmcast), IST and SST ports; state transfer is rsync; the nodes run as the
# `mysql` user when started by root (rsync SST fails with "Permission denied" on root-owned data
# dirs), else as the invoking user. Ports are picked free at start and written to DIR/ports.
#
#   cluster.sh start DIR      initialise (first time) and start the three nodes, node 1 bootstraps
#   cluster.sh stop DIR       stop every node (SIGTERM, then SIGKILL after 30 s)
#   cluster.sh kill DIR N     SIGKILL node N (a crash, not a shutdown)
#   cluster.sh restart DIR N  start node N again; it rejoins through IST/SST
#   cluster.sh status DIR     wsrep state of every node
#   cluster.sh port DIR N     SQL port of node N
#   cluster.sh wait DIR SIZE  wait until a live node reports a primary cluster of SIZE nodes
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop|kill|restart|status|port|wait DIR [N]}
dir=$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

free_ports() {  # N distinct free loopback ports
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
PY
}

node_port() { awk -v n="$1" '$1 == "node"n {print $2}' "$dir/ports"; }
pidfile() { echo "$dir/node$1/mariadbd.pid"; }
alive() { [[ -f $(pidfile "$1") ]] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }
sql() {  # node, statement
  mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$(node_port "$1")" -uroot -N -B -e "$2" 2>/dev/null
}

# Root runs the nodes as `mysql` (mariadbd refuses root); anyone else runs them as themselves.
if [[ $(id -u) == 0 ]]; then run_as=mysql; else run_as=$(id -un); fi
own() { [[ $(id -u) != 0 ]] || chown -R mysql:mysql "$@"; }

write_config() {
  local n=$1 sql_port=$2 gm=$3 ist=$4 sst=$5 members=$6
  cat >"$dir/node$n/my.cnf" <<CNF
[mysqld]
user=$run_as
datadir=$dir/node$n/data
socket=$dir/node$n/mariadbd.sock
pid-file=$dir/node$n/mariadbd.pid
log-error=$dir/node$n/error.log
port=$sql_port
bind-address=127.0.0.1
character-set-server=utf8mb4
collation-server=utf8mb4_unicode_ci
max-connections=500
# The load balancer's checks connect every half second; never block its host for them.
max-connect-errors=1000000
innodb-buffer-pool-size=128M
innodb-flush-log-at-trx-commit=2
# Galera: row-based replication, interleaved auto-increment locks, InnoDB only.
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
wsrep_on=ON
wsrep_provider=/usr/lib/galera/libgalera_smm.so
wsrep_cluster_name=nms
wsrep_cluster_address=gcomm://$members
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1
# Failure detection: a silent node is suspected after 3 s and evicted then (defaults 5 s/15 s);
# until it is, the others cannot commit. Loopback and a LAN afford the shorter timeouts.
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$gm;ist.recv_addr=127.0.0.1:$ist;gcache.size=64M;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.inactive_check_period=PT0.5S"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:$sst
CNF
}

start_node() {  # node, extra args
  local n=$1
  shift
  alive "$n" && return 0
  nohup mariadbd --defaults-file="$dir/node$n/my.cnf" "$@" >/dev/null 2>&1 &
  # Ready when it accepts SQL and reports itself synced with a primary component.
  for _ in $(seq 1 240); do
    if [[ $(sql "$n" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_local_state_comment'") == Synced ]]; then
      echo "node$n synced on 127.0.0.1:$(node_port "$n")"
      return 0
    fi
    sleep 0.5
  done
  echo "node$n did not sync; see $dir/node$n/error.log" >&2
  tail -20 "$dir/node$n/error.log" >&2 || true
  return 1
}

case $cmd in
  start)
    if [[ ! -f $dir/ports ]]; then
      read -r -a p <<<"$(free_ports 12)"
      members="127.0.0.1:${p[1]},127.0.0.1:${p[5]},127.0.0.1:${p[9]}"
      : >"$dir/ports"
      for n in 1 2 3; do
        i=$(((n - 1) * 4))
        mkdir -p "$dir/node$n/data"
        echo "node$n ${p[$i]} ${p[$((i + 1))]} ${p[$((i + 2))]} ${p[$((i + 3))]}" >>"$dir/ports"
        write_config "$n" "${p[$i]}" "${p[$((i + 1))]}" "${p[$((i + 2))]}" "${p[$((i + 3))]}" "$members"
      done
      # Only node 1 is initialised; the others receive its state by SST when they join.
      mariadb-install-db --no-defaults --datadir="$dir/node1/data" --user="$run_as" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log" >&2; exit 1; }
      own "$dir"
      start_node 1 --wsrep-new-cluster
      # A password-less account for the load balancer's mysql-check (connect only, no rights).
      sql 1 "CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1'"
    else
      own "$dir"
      # A restart of the whole cluster: the node that was stopped last may bootstrap; here
      # node 1 is marked safe to do so (state transfer brings the others up to date).
      sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$dir/node1/data/grastate.dat" 2>/dev/null || true
      start_node 1 --wsrep-new-cluster
    fi
    start_node 2
    start_node 3
    ;;
  stop)
    for n in 3 2 1; do
      if alive "$n"; then
        pid=$(cat "$(pidfile "$n")")
        kill "$pid"
        for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
        echo "node$n stopped"
      fi
    done
    ;;
  kill)
    n=${3:?node}
    if alive "$n"; then
      pid=$(cat "$(pidfile "$n")")
      kill -9 "$pid"
      # Gone before we return, so an immediate restart starts a new process.
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      echo "node$n killed"
    fi
    ;;
  restart)
    n=${3:?node}
    own "$dir/node$n"
    start_node "$n"
    ;;
  status)
    for n in 1 2 3; do
      if alive "$n"; then
        echo "node$n port $(node_port "$n"): $(sql "$n" "SELECT GROUP_CONCAT(VARIABLE_VALUE ORDER BY VARIABLE_NAME SEPARATOR ' ') FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ('wsrep_cluster_size','wsrep_cluster_status','wsrep_local_state_comment')")"
      else
        echo "node$n down"
      fi
    done
    ;;
  port) node_port "${3:?node}" ;;
  wait)
    size=${3:?size}
    for _ in $(seq 1 120); do
      for n in 1 2 3; do
        alive "$n" || continue
        if [[ $(sql "$n" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_cluster_size'") == "$size" ]]; then
          exit 0
        fi
      done
      sleep 0.5
    done
    echo "no primary component of $size nodes" >&2
    exit 1
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
