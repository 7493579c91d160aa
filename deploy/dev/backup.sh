#!/usr/bin/env bash
# Consistent online backup and restore of a user-space MariaDB (deploy/dev/db.sh) with Debian's
# mariadb-backup: InnoDB pages are copied while the server keeps serving, the redo log written
# meanwhile is copied too, and a short BACKUP STAGE lock at the end fixes one commit point, so
# the backup holds exactly the transactions committed before that point — never half of one.
#
#   backup.sh backup DB_DIR OUT_DIR      back up the running server of DB_DIR into OUT_DIR (new)
#   backup.sh restore OUT_DIR NEW_DB_DIR  prepare OUT_DIR's copy as the data of NEW_DB_DIR (new);
#                                         then `db.sh start NEW_DB_DIR` serves it
#
# The backup is prepared (crash-recovered) at once, so a restore is a plain copy. Each step prints
# its duration in seconds. For Galera, run `backup` against any one node: the copy is that node's
# state and a restored node bootstraps a new cluster (deploy/galera/cluster.sh).
set -euo pipefail
cmd=${1:?usage: backup.sh backup DB_DIR OUT_DIR | restore OUT_DIR NEW_DB_DIR}
src=${2:?missing argument}
dst=${3:?missing argument}

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

case $cmd in
  backup)
    db_dir=$(cd "$src" && pwd)
    [[ -S $db_dir/mariadb.sock ]] || { echo "no running MariaDB in $db_dir" >&2; exit 1; }
    [[ ! -e $dst ]] || { echo "$dst exists; a backup goes into a new folder" >&2; exit 1; }
    mkdir -p "$dst"
    start=$(now)
    mariadb-backup --backup --user=root --socket="$db_dir/mariadb.sock" --target-dir="$dst" \
      >"$dst.backup.log" 2>&1 || { tail -20 "$dst.backup.log" >&2; exit 1; }
    copied=$(took "$start")
    start=$(now)
    mariadb-backup --prepare --target-dir="$dst" >"$dst.prepare.log" 2>&1 \
      || { tail -20 "$dst.prepare.log" >&2; exit 1; }
    echo "backup: $dst ($(du -sh "$dst" | cut -f1)), copied in ${copied} s, prepared in $(took "$start") s"
    ;;
  restore)
    backup_dir=$(cd "$src" && pwd)
    [[ -f $backup_dir/xtrabackup_checkpoints ]] || { echo "$backup_dir is not a backup" >&2; exit 1; }
    [[ ! -e $dst/data ]] || { echo "$dst/data exists; restore into a new folder" >&2; exit 1; }
    mkdir -p "$dst"
    start=$(now)
    mariadb-backup --copy-back --target-dir="$backup_dir" --datadir="$dst/data" \
      >"$dst/restore.log" 2>&1 || { tail -20 "$dst/restore.log" >&2; exit 1; }
    echo "restore: $dst/data in $(took "$start") s; start it with deploy/dev/db.sh start $dst"
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
