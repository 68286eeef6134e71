#!/usr/bin/env bash
# Prints the path of a minimal Debian bookworm tree that systemd-nspawn can boot, building it with
# debootstrap on first use. The tree is cached (SLUICE_TEST_CACHE, default /var/cache/sluice-test)
# under a name derived from the package list, so reruns take no time and a changed list gets a
# fresh tree. Tests boot it with --volatile=overlay: the cached tree itself is never changed.
# procps gives /bin/kill (the units' ExecReload, as on any Debian system); iproute2, curl and
# bird2 serve the VIP announcement (sluice-vip-health); hitch and haproxy are the reference
# implementation (LAB_IMPL=reference), their own units masked so that only what a test starts runs.
set -euo pipefail

SUITE=bookworm
MIRROR="${SLUICE_TEST_MIRROR:-http://deb.debian.org/debian}"
INCLUDE=systemd,systemd-sysv,dbus,procps,iproute2,curl,bird2,hitch,haproxy
cache="${SLUICE_TEST_CACHE:-/var/cache/sluice-test}"
# Bump when the steps below change, so that cached trees made the old way are rebuilt.
RECIPE=2
tree="$cache/$SUITE-$(printf '%s %s %s' "$SUITE" "$INCLUDE" "$RECIPE" | sha256sum | cut -c1-12)"

mkdir -p "$cache"
exec 9> "$cache/.lock"
flock -w 600 9 || { echo "nspawn-rootfs: another build holds $cache/.lock for 10 minutes" >&2; exit 1; }

if [ ! -f "$tree/.complete" ]; then
    command -v debootstrap > /dev/null || { echo "nspawn-rootfs: debootstrap is not installed (scripts/test installs it)" >&2; exit 1; }
    building="$tree.building"
    rm -rf "$building"
    echo "nspawn-rootfs: debootstrap $SUITE into $building (once; cached afterwards)" >&2
    debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$building" "$MIRROR" > "$cache/debootstrap.log" 2>&1 || {
        tail -n 30 "$cache/debootstrap.log" >&2
        exit 1
    }
    # Only the units a test starts may run: not Debian's hitch/haproxy, no getty on the pipe console.
    for unit in hitch.service haproxy.service console-getty.service getty@.service systemd-timesyncd.service \
                apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer fstrim.timer; do
        ln -sfn /dev/null "$building/etc/systemd/system/$unit"
    done
    # As a Debian installation does: the host name resolves without DNS (Log4j looks it up).
    # BIRD starts only when a test has given it a configuration.
    rm -f "$building/etc/systemd/system/multi-user.target.wants/bird.service"
    echo sluice-test > "$building/etc/hostname"
    printf '127.0.0.1\tlocalhost\n127.0.1.1\tsluice-test\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$building/etc/hosts"
    rm -f "$building/etc/machine-id" && : > "$building/etc/machine-id"
    apt-get -o RootDir="$building" clean 2>/dev/null || rm -rf "$building"/var/cache/apt/archives/*.deb
    touch "$building/.complete"
    rm -rf "$tree"
    mv "$building" "$tree"
    # Trees of other package lists are stale: drop them (we hold the lock, nobody boots them).
    for old in "$cache/$SUITE"-*; do
        [ "$old" = "$tree" ] || rm -rf "$old"
    done
fi
echo "$tree"
