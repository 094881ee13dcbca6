#!/usr/bin/env bash
# Makes a small test PKI for EdgeVisor: a CA, the broker's server certificate, the controller's client
# certificate and one client certificate per device. EC P-256 keys, short validity: this is for tests, demos and
# a first lab fleet, not for production (use your own CA there; the file names below are what the broker
# configuration and install-agent.sh expect).
#
#   make-test-ca.sh OUTPUT_DIR [DEVICE_ID ...]
#
# Output (all PEM):
#   ca.pem ca.key                      the CA (ca.key stays on the operator's machine)
#   broker.pem broker.key              CN=localhost, SAN DNS:localhost, IP:127.0.0.1 (+ EDGEVISOR_BROKER_NAMES)
#   controller.pem controller.key      CN=controller (the ACL lets it read and write everything under edgevisor/)
#   devices/<id>.pem devices/<id>.key  CN=<id> (the ACL confines it to edgevisor/v1/devices/<id>/...)
#
# Idempotent: existing files are kept (a re-run only adds missing devices), so certificates already installed on
# devices stay valid. Delete the directory to start over.
#
# Environment: EDGEVISOR_CERT_DAYS (default 30), EDGEVISOR_BROKER_NAMES (extra SANs, e.g. "DNS:broker.lan,IP:10.0.0.5").
set -euo pipefail

usage() {
    echo "usage: $(basename "$0") OUTPUT_DIR [DEVICE_ID ...]   (device ids: 1-64 letters, digits, '.', '_', '-', not starting with '.' or '-')" >&2
    exit 64
}

[[ $# -ge 1 ]] || usage
out=$1
shift
[[ -n "$out" && "$out" != -* ]] || usage

days=${EDGEVISOR_CERT_DAYS:-30}
[[ "$days" =~ ^[0-9]+$ && "$days" -ge 1 ]] || { echo "make-test-ca.sh: EDGEVISOR_CERT_DAYS must be a positive number of days, got '$days'" >&2; exit 64; }
broker_names="DNS:localhost,IP:127.0.0.1${EDGEVISOR_BROKER_NAMES:+,$EDGEVISOR_BROKER_NAMES}"

# The same rule as EdgeVisor.Protocol.Names: it keeps ids safe in topics, file names and ACL patterns.
for id in "$@"; do
    if ! [[ "$id" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$ ]]; then
        echo "make-test-ca.sh: device id '$id' is not valid: use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'" >&2
        exit 64
    fi
    if [[ "$id" == controller || "$id" == controller-* ]]; then
        echo "make-test-ca.sh: device id '$id' is reserved: 'controller' and 'controller-*' identities have fleet-wide access" >&2
        exit 64
    fi
done

mkdir -p "$out/devices"
umask 077

new_key() { # $1 = key file; EC P-256, PKCS#8
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# $1 = base name (without extension), $2 = subject CN, $3 = extended key usage, $4 = optional subjectAltName
issue() {
    local base=$1 cn=$2 eku=$3 san=${4:-}
    if [[ -s "$base.pem" && -s "$base.key" ]]; then
        return 0
    fi
    new_key "$base.key"
    local ext
    ext=$(mktemp)
    {
        echo "basicConstraints=critical,CA:FALSE"
        echo "keyUsage=critical,digitalSignature,keyAgreement"
        echo "extendedKeyUsage=$eku"
        echo "subjectKeyIdentifier=hash"
        echo "authorityKeyIdentifier=keyid"
        if [[ -n "$san" ]]; then echo "subjectAltName=$san"; fi
    } >"$ext"
    openssl req -new -key "$base.key" -subj "/O=EdgeVisor test/CN=$cn" -out "$base.csr" 2>/dev/null
    openssl x509 -req -in "$base.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
        -days "$days" -sha256 -extfile "$ext" -out "$base.pem" 2>/dev/null
    rm -f "$base.csr" "$ext"
    chmod 600 "$base.key"
    chmod 644 "$base.pem"
    echo "issued $base.pem (CN=$cn)"
}

if [[ ! -s "$out/ca.pem" || ! -s "$out/ca.key" ]]; then
    new_key "$out/ca.key"
    openssl req -new -x509 -key "$out/ca.key" -subj "/O=EdgeVisor test/CN=EdgeVisor test CA" -days "$days" -sha256 \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$out/ca.pem" 2>/dev/null
    chmod 600 "$out/ca.key"
    chmod 644 "$out/ca.pem"
    echo "issued $out/ca.pem"
fi

issue "$out/broker" localhost serverAuth "$broker_names"
issue "$out/controller" controller clientAuth
for id in "$@"; do
    issue "$out/devices/$id" "$id" clientAuth
done
