#!/usr/bin/env bash
# User-space MariaDB for development and tests: no system service, data under a folder of
# ours. Usage: db.sh start DIR [PORT] | stop DIR | status DIR | dsn DIR
# `start` is idempotent: a running instance in DIR is reused. PORT 0 or absent = a free port.
set -euo pipefail
cmd=${1:?usage: db.sh start|stop|status|dsn DIR [PORT]}
dir=$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)
want_port=${3:-0}
pidfile=$dir/mariadb.pid

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

free_port() {
  /usr/bin/python3 - <<'PY'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

case $cmd in
  start)
    if running; then echo "mariadb already running on port $(cat "$dir/port")"; exit 0; fi
    if [[ ! -d $dir/data/mysql ]]; then
      rm -rf "$dir/data"; mkdir -p "$dir/data"
      mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
        --user="$(id -un)" --skip-test-db >"$dir/install.log" 2>&1 \
        || { cat "$dir/install.log" >&2; exit 1; }
    fi
    port=$want_port
    [[ $port == 0 ]] && port=$(free_port)
    echo "$port" >"$dir/port"
    # flush-at-commit=2: a crashed DB process may lose the last second, a crashed server never
    # does (commits are in the OS cache). Production settings live in deploy/galera.
    nohup mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mariadb.sock" --port="$port" \
      --bind-address=127.0.0.1 --user="$(id -un)" --pid-file="$pidfile" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=2 --skip-log-bin \
      --max-connections=500 --log-error="$dir/mariadb.err" >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 1 120); do
      # Ours, not whatever else may hold the port: our process is alive and answers on our socket
      # and on the port.
      kill -0 "$server" 2>/dev/null || break
      if mariadb-admin --no-defaults --socket="$dir/mariadb.sock" -uroot ping >/dev/null 2>&1 &&
         mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -uroot ping >/dev/null 2>&1; then
        echo "mariadb ready on 127.0.0.1:$port (data $dir/data)"; exit 0
      fi
      sleep 0.25
    done
    echo "mariadb did not start; see $dir/mariadb.err" >&2; tail -20 "$dir/mariadb.err" >&2 || true; exit 1
    ;;
  stop)
    if running; then
      pid=$(cat "$pidfile"); kill "$pid"
      for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      echo "mariadb stopped"
    fi
    ;;
  status) running && echo "running on port $(cat "$dir/port")" || { echo "stopped"; exit 1; } ;;
  dsn) echo "mysql://root@127.0.0.1:$(cat "$dir/port")/${NMS_DB_NAME:-nms}" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
