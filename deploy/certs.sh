#!/usr/bin/env bash
# Development PKI for the federal sync job's mTLS listener (docs/domain.md §7).
#
#   deploy/certs.sh OUTDIR [SERVER_HOST]
#
# Creates in OUTDIR:
#   ca.crt, ca.key                 dev CA that signs the server and the sync-job client
#   server.crt, server.key         server certificate (SAN: SERVER_HOST, localhost, 127.0.0.1)
#   client.crt, client.key         client certificate CN=nms-federal-sync (extendedKeyUsage clientAuth)
#   foreign-ca.crt, foreign-ca.key another CA, unknown to the server
#   foreign-client.crt, .key       client certificate with the same CN signed by the foreign CA
#                                  (must be refused; used by the negative test)
# Run the server with
#   nms-server --tls_cert=OUTDIR/server.crt --tls_key=OUTDIR/server.key \
#              --tls_client_ca=OUTDIR/ca.crt --mtls_listen=0.0.0.0:50052
# and map the client certificate to the service account:
#   UPDATE accounts SET cert_subject = 'CN=nms-federal-sync' WHERE login = 'federal.sync';
# Development only: keys are unencrypted; production certificates come from the region's PKI.
set -euo pipefail

out="${1:?usage: deploy/certs.sh OUTDIR [SERVER_HOST]}"
host="${2:-localhost}"
days=825
mkdir -p "$out"
cd "$out"
umask 077

ca() {  # name subject
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout "$1.key" -out "$1.crt" \
    -subj "$2" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
}

leaf() {  # name subject ca extfile-content
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%s\n' "$4" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -out "$1.crt" -days "$days" \
    -sha256 -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca "/CN=NMS Dev CA"
ca foreign-ca "/CN=Foreign Dev CA"

leaf server "/CN=${host}" ca "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:${host},DNS:localhost,IP:127.0.0.1"

client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
leaf client "/CN=nms-federal-sync" ca "$client_ext"
leaf foreign-client "/CN=nms-federal-sync" foreign-ca "$client_ext"

rm -f ./*.srl
chmod 644 ./*.crt
openssl verify -CAfile ca.crt server.crt client.crt >/dev/null
if openssl verify -CAfile ca.crt foreign-client.crt >/dev/null 2>&1; then
  echo "foreign client certificate unexpectedly verifies against the dev CA" >&2
  exit 1
fi
echo "certificates written to $(pwd); client subject: CN=nms-federal-sync"
