#!/bin/sh
# haproxy external-check (a copy with the nmsctl path filled in is written by stack.sh): $3 is
# the server's address, $4 its port. Healthy = the replica answers grpc.health.v1.Health/Check
# with SERVING, which it does only while its database is reachable.
exec @NMSCTL@ health --server "$3:$4" >/dev/null 2>&1
