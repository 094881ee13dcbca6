#!/usr/bin/env bash
# Installs the EdgeVisor agent on a Raspberry Pi OS (bookworm, arm64) device. Run as root ON the device.
#
#   install-agent.sh --package DIR|TARBALL --device-id ID --broker HOST[:PORT] \
#                    --ca CA.pem --cert DEVICE.pem --key DEVICE.key --trusted-key SIGNING.pub.pem \
#                    [--root DIR] [--no-systemctl] [--no-apt]
#
# --package      the self-contained linux-arm64 publish directory or its .tar.gz (provisioning/publish.sh)
# --device-id    this device's id (= the CN of its certificate, make-test-ca.sh devices/<id>.pem)
# --broker       the MQTT broker, TLS port 8883 unless given
# --ca           the fleet CA certificate (trusts the broker); --cert/--key: this device's client certificate
# --trusted-key  public key (PEM) deployments must be signed with; repeat for several
# --root DIR     install into DIR instead of / (a staging root, e.g. for an image build or a test); implies --no-apt
# --no-systemctl do not reload/enable/start the unit (staging roots, image builds)
# --no-apt       do not install libgpiod2, runc, nftables and iproute2 with apt-get
#
# What it does: installs the program to /opt/edgevisor (the previous one kept as /opt/edgevisor.previous),
# creates the system user `edgevisor` (groups gpio, i2c) with systemd-sysusers, installs libgpiod2 (GPIO
# passthrough) and runc, nftables and iproute2 (container workloads: docs/containers.md), installs the
# certificates and trusted keys under /etc/edgevisor with tight permissions, writes /etc/edgevisor/agent.json
# ONLY IF ABSENT (an existing configuration is never overwritten), installs the systemd unit, enables and starts it.
# Re-running it upgrades the program and keeps configuration and state.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
me=$(basename "$0")

usage() {
    echo "usage: $me --package DIR|TARBALL --device-id ID --broker HOST[:PORT] --ca FILE --cert FILE --key FILE --trusted-key FILE [--trusted-key FILE ...] [--root DIR] [--no-systemctl] [--no-apt]" >&2
    exit 64
}

fail() { # $1 = exit code, $2 = message
    echo "$me: $2" >&2
    exit "$1"
}

package="" device_id="" broker="" ca="" cert="" key="" root="/" systemctl=1 apt=1
trusted_keys=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --package|--device-id|--broker|--ca|--cert|--key|--trusted-key|--root)
            [[ $# -ge 2 && -n "$2" ]] || fail 64 "$1 needs a value"
            case "$1" in
                --package) package=$2 ;;
                --device-id) device_id=$2 ;;
                --broker) broker=$2 ;;
                --ca) ca=$2 ;;
                --cert) cert=$2 ;;
                --key) key=$2 ;;
                --trusted-key) trusted_keys+=("$2") ;;
                --root) root=$2 ;;
            esac
            shift 2 ;;
        --no-systemctl) systemctl=0; shift ;;
        --no-apt) apt=0; shift ;;
        -h|--help) usage ;;
        *) echo "$me: unknown argument '$1'" >&2; usage ;;
    esac
done

missing=()
for pair in "package:$package" "device-id:$device_id" "broker:$broker" "ca:$ca" "cert:$cert" "key:$key"; do
    [[ -n "${pair#*:}" ]] || missing+=("--${pair%%:*}")
done
[[ ${#trusted_keys[@]} -gt 0 ]] || missing+=("--trusted-key")
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "$me: missing ${missing[*]}" >&2
    usage
fi

# --- validate everything before touching the system -------------------------------------------------------------
[[ "$device_id" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$ ]] ||
    fail 64 "--device-id '$device_id' is not valid: use 1-64 letters, digits, '.', '_' or '-', not starting with '.' or '-'"
[[ "$device_id" != controller && "$device_id" != controller-* ]] ||
    fail 64 "--device-id '$device_id' is reserved for controllers"
broker_host=${broker%:*}
broker_port=8883
if [[ "$broker" == *:* ]]; then broker_port=${broker##*:}; fi
[[ "$broker_host" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || fail 64 "--broker '$broker': the host must be a DNS name or IPv4 address"
[[ "$broker_port" =~ ^[0-9]+$ && "$broker_port" -ge 1 && "$broker_port" -le 65535 ]] || fail 64 "--broker '$broker': the port must be 1-65535"
for file in "$ca" "$cert" "$key" "${trusted_keys[@]}"; do
    [[ -f "$file" && -r "$file" ]] || fail 66 "cannot read '$file'"
done
grep -q -- "-----BEGIN CERTIFICATE-----" "$ca" || fail 65 "--ca '$ca' is not a PEM certificate"
grep -q -- "-----BEGIN CERTIFICATE-----" "$cert" || fail 65 "--cert '$cert' is not a PEM certificate"
grep -q -- "PRIVATE KEY-----" "$key" || fail 65 "--key '$key' is not a PEM private key"
for file in "${trusted_keys[@]}"; do
    grep -q -- "-----BEGIN PUBLIC KEY-----" "$file" || fail 65 "--trusted-key '$file' is not a PEM public key (edgevisor fleet keygen writes one)"
done
if command -v openssl >/dev/null; then
    subject=$(openssl x509 -in "$cert" -noout -subject -nameopt multiline 2>/dev/null | sed -n 's/^ *commonName *= *//p')
    [[ "$subject" == "$device_id" ]] ||
        fail 65 "--cert '$cert' has CN '$subject', not the device id '$device_id' (the broker ACL identifies the device by its CN)"
fi

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
if [[ -f "$package" ]]; then
    tar -xzf "$package" -C "$workdir" || fail 65 "--package '$package' is not a readable .tar.gz"
    # The tarball holds one top-level directory (publish.sh) or the files themselves.
    source_dir=$(dirname "$(find "$workdir" -maxdepth 2 -type f -name edgevisor | head -n 1)")
elif [[ -d "$package" ]]; then
    source_dir=$package
else
    fail 66 "--package '$package' is neither a directory nor a file"
fi
[[ -n "$source_dir" && -x "$source_dir/edgevisor" ]] || fail 65 "--package '$package' has no executable 'edgevisor' (make it with provisioning/publish.sh)"

unit_source=$script_dir/edgevisor-agent.service
sysusers_source=$script_dir/edgevisor-sysusers.conf
[[ -f "$unit_source" && -f "$sysusers_source" ]] || fail 66 "edgevisor-agent.service and edgevisor-sysusers.conf must be next to $me"

root=${root%/}
if [[ -n "$root" ]]; then
    apt=0 # apt-get installs into the running system, never into a staging root
    mkdir -p "$root" || fail 73 "cannot create --root '$root'"
fi
if [[ $EUID -ne 0 && -z "$root" ]]; then
    fail 77 "run as root (sudo $me …)"
fi

# --- install -----------------------------------------------------------------------------------------------------
if [[ $apt -eq 1 ]]; then
    echo "installing libgpiod2 (GPIO passthrough), runc, nftables and iproute2 (container workloads)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgpiod2 runc nftables iproute2 >/dev/null
    # Raspberry Pi OS kernels start with the memory cgroup controller off: containers then run without memory
    # limits or figures. It is switched on at boot, not here (a kernel command line change needs a reboot).
    if [[ -r /sys/fs/cgroup/cgroup.controllers ]] && ! grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
        cmdline=/boot/firmware/cmdline.txt
        [[ -f $cmdline ]] || cmdline=/boot/cmdline.txt
        echo "note: the memory cgroup controller is off: container memory limits need 'cgroup_enable=memory' added to $cmdline and a reboot" >&2
    fi
fi

echo "creating the system user edgevisor (groups gpio, i2c)"
install -d -m 0755 "$root/usr/lib/sysusers.d" "$root/etc"
install -m 0644 "$sysusers_source" "$root/usr/lib/sysusers.d/edgevisor.conf"
if [[ -n "$root" ]]; then
    systemd-sysusers --root="$root" edgevisor.conf
else
    systemd-sysusers edgevisor.conf
fi
uid=$(awk -F: '$1 == "edgevisor" { print $3 }' "$root/etc/passwd")
gid=$(awk -F: '$1 == "edgevisor" { print $3 }' "$root/etc/group")
[[ -n "$uid" && -n "$gid" ]] || fail 70 "systemd-sysusers did not create the user edgevisor in $root/etc/passwd"

# Ownership needs root; a staging install by an ordinary user keeps the modes and says what it skipped.
own() { # $1 = owner:group (numeric), $2... = paths
    local owner=$1
    shift
    if [[ $EUID -eq 0 ]]; then chown "$owner" "$@"; fi
}

echo "installing the program to /opt/edgevisor"
install -d -m 0755 "$root/opt"
rm -rf "$root/opt/edgevisor.new"
cp -a "$source_dir" "$root/opt/edgevisor.new"
chmod -R u=rwX,go=rX "$root/opt/edgevisor.new"
own 0:0 -R "$root/opt/edgevisor.new"
if [[ -d "$root/opt/edgevisor" ]]; then
    rm -rf "$root/opt/edgevisor.previous"
    mv "$root/opt/edgevisor" "$root/opt/edgevisor.previous"
fi
mv "$root/opt/edgevisor.new" "$root/opt/edgevisor"

echo "installing certificates and trusted keys under /etc/edgevisor"
etc=$root/etc/edgevisor
install -d -m 0750 "$etc" "$etc/certs" "$etc/trusted"
own "0:$gid" "$etc" "$etc/certs" "$etc/trusted"
install -m 0644 "$ca" "$etc/certs/ca.pem"
install -m 0644 "$cert" "$etc/certs/device.pem"
install -m 0640 "$key" "$etc/certs/device.key"
own "0:$gid" "$etc/certs/device.key"
trusted_json=""
n=0
for file in "${trusted_keys[@]}"; do
    n=$((n + 1))
    install -m 0644 "$file" "$etc/trusted/key-$n.pem"
    trusted_json+="${trusted_json:+, }\"/etc/edgevisor/trusted/key-$n.pem\""
done

if [[ -e "$etc/agent.json" ]]; then
    echo "keeping the existing /etc/edgevisor/agent.json (delete it to have it written again)"
else
    echo "writing /etc/edgevisor/agent.json"
    # Every value was validated above, so none needs JSON escaping.
    cat >"$etc/agent.json" <<JSON
{
  "Agent": {
    "DeviceId": "$device_id",
    "StateDirectory": "/var/lib/edgevisor",
    "Broker": {
      "Host": "$broker_host",
      "Port": $broker_port,
      "UseTls": true,
      "CaFile": "/etc/edgevisor/certs/ca.pem",
      "CertificateFile": "/etc/edgevisor/certs/device.pem",
      "KeyFile": "/etc/edgevisor/certs/device.key"
    },
    "TrustedKeys": [ $trusted_json ]
  }
}
JSON
    chmod 0640 "$etc/agent.json"
    own "0:$gid" "$etc/agent.json"
fi

echo "installing the systemd unit edgevisor-agent.service"
install -d -m 0755 "$root/etc/systemd/system"
install -m 0644 "$unit_source" "$root/etc/systemd/system/edgevisor-agent.service"
install -d -m 0750 "$root/var/lib/edgevisor"
own "$uid:$gid" "$root/var/lib/edgevisor"

if [[ $systemctl -eq 1 && -z "$root" ]]; then
    systemctl daemon-reload
    systemctl enable edgevisor-agent.service
    systemctl restart edgevisor-agent.service
    echo "edgevisor-agent is running: journalctl -u edgevisor-agent -f"
elif [[ $systemctl -eq 1 ]]; then
    # Enabling inside a staging root only creates the symlink; nothing is started.
    systemctl --root="$root" enable edgevisor-agent.service
    echo "installed into $root (enabled, not started)"
else
    echo "installed into ${root:-/} (systemctl not run)"
fi
[[ $EUID -eq 0 ]] || echo "note: not running as root, so file owners were left unchanged" >&2
