#!/usr/bin/env bash
# Installs Sluice on a node: the binaries (thin jars + lib/), their launchers, the systemd units
# and generator, the sluice user, the node's sysctl settings and example configurations.
#
#   mvn -B -DskipTests package && sudo deploy/install.sh          # onto this machine
#   DESTDIR=/tmp/pkg deploy/install.sh                              # into a staging tree (packaging)
#
# Variables: DESTDIR (staging root, default none), PREFIX (/usr), SYSCONFDIR (/etc),
# UNITDIR ($PREFIX/lib/systemd/system). Existing files in $SYSCONFDIR/sluice are never
# overwritten: the examples also go to $PREFIX/share/doc/sluice/examples. Installing onto the
# running system (no DESTDIR, as root) also creates the sluice user and reloads systemd, unless
# SLUICE_INSTALL_SYSTEM=no; nothing is enabled or started: see the README.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${SLUICE_ROOT:-$(cd "$here/.." && pwd)}"
DESTDIR="${DESTDIR:-}"
PREFIX="${PREFIX:-/usr}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
UNITDIR="${UNITDIR:-$PREFIX/lib/systemd/system}"
LIBDIR="$PREFIX/lib/sluice"
BINDIR="$PREFIX/bin"
DOCDIR="$PREFIX/share/doc/sluice"
GENERATORDIR="$PREFIX/lib/systemd/system-generators"

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

for module in terminator balancer; do
    [ -f "$root/$module/target/sluice-$module.jar" ] && [ -d "$root/$module/target/lib" ] ||
        die "$root/$module/target/sluice-$module.jar (and lib/) missing: run 'mvn -B -DskipTests package' first"
done

# Rewrites the paths the shipped files name (/usr/bin, /etc/sluice, …) for this PREFIX/SYSCONFDIR.
rewrite() {
    sed -e "s|/usr/bin/sluice-|$BINDIR/sluice-|g" \
        -e "s|/etc/sluice/|$SYSCONFDIR/sluice/|g" \
        -e "s|/etc/default/sluice-|$SYSCONFDIR/default/sluice-|g" \
        -e "s|/usr/lib/sluice/|$LIBDIR/|g" \
        -e "s|/usr/share/doc/sluice/|$DOCDIR/|g" \
        -e "s|\${SLUICE_UNIT_DIR:-/usr/lib/systemd/system}|\${SLUICE_UNIT_DIR:-$UNITDIR}|g" "$1"
}

# JVM flags: the very ones the development launcher uses (scripts/MODULE), so both run alike.
jvm_opts() {
    local opts
    opts="$(sed -n 's/^JVM_OPTS=(\(.*\))$/\1/p' "$root/scripts/$1")"
    [ -n "$opts" ] || die "no JVM_OPTS=(...) line in $root/scripts/$1"
    echo "$opts"
}

for module in terminator balancer; do
    dest="$DESTDIR$LIBDIR/$module"
    rm -rf "$dest"
    install -d -m 0755 "$dest/lib"
    install -m 0644 "$root/$module/target/sluice-$module.jar" "$dest/"
    install -m 0644 "$root/$module/target/lib/"*.jar "$dest/lib/"
    install -d -m 0755 "$DESTDIR$BINDIR"
    sed -e "s|@MODULE@|$module|g" -e "s|@LIBDIR@|$LIBDIR|g" -e "s|@JVM_OPTS@|$(jvm_opts "$module")|g" \
        "$here/bin/sluice-launcher.in" > "$DESTDIR$BINDIR/sluice-$module"
    chmod 0755 "$DESTDIR$BINDIR/sluice-$module"
done
say "binaries in $DESTDIR$LIBDIR, launchers $DESTDIR$BINDIR/sluice-{terminator,balancer}"

install -d -m 0755 "$DESTDIR$UNITDIR" "$DESTDIR$GENERATORDIR"
for unit in sluice.target sluice-balancer.service sluice-terminator.target sluice-terminator@.service \
            sluice-vip-health.service; do
    rewrite "$here/systemd/$unit" > "$DESTDIR$UNITDIR/$unit"
    chmod 0644 "$DESTDIR$UNITDIR/$unit"
done
rewrite "$here/systemd/sluice-terminator-generator" > "$DESTDIR$GENERATORDIR/sluice-terminator-generator"
chmod 0755 "$DESTDIR$GENERATORDIR/sluice-terminator-generator"
install -D -m 0644 "$here/sysusers.d/sluice.conf" "$DESTDIR$PREFIX/lib/sysusers.d/sluice.conf"
install -d -m 0755 "$DESTDIR$PREFIX/lib/tmpfiles.d"
rewrite "$here/tmpfiles.d/sluice.conf" > "$DESTDIR$PREFIX/lib/tmpfiles.d/sluice.conf"
install -D -m 0644 "$here/sysctl/99-sluice.conf" "$DESTDIR$PREFIX/lib/sysctl.d/99-sluice.conf"
say "units in $DESTDIR$UNITDIR, generator, sysusers.d, tmpfiles.d, sysctl.d/99-sluice.conf"

install -d -m 0755 "$DESTDIR$DOCDIR/examples" "$DESTDIR$DOCDIR/ecmp"
install -m 0644 "$here/README.md" "$DESTDIR$DOCDIR/README.md"
install -m 0644 "$here/etc/terminator.conf" "$here/etc/balancer.cfg" "$here/sysctl/99-sluice-router.conf" \
    "$DESTDIR$DOCDIR/examples/"
install -m 0644 "$here/ecmp/"*.conf "$DESTDIR$DOCDIR/ecmp/"
install -m 0644 "$here/etc/default-sluice-vip-health" "$DESTDIR$DOCDIR/examples/"
install -m 0755 "$here/ecmp/sluice-vip-health" "$DESTDIR$LIBDIR/sluice-vip-health"

# Configuration: the examples where there is none yet; an operator's files are left alone.
install -d -m 0755 "$DESTDIR$SYSCONFDIR/sluice" "$DESTDIR$SYSCONFDIR/default"
install -d -m 0750 "$DESTDIR$SYSCONFDIR/sluice/tls"
place_config() { # SOURCE DEST
    if [ -e "$DESTDIR$2" ]; then
        say "kept $DESTDIR$2"
    else
        install -m 0644 "$1" "$DESTDIR$2"
        say "wrote $DESTDIR$2"
    fi
}
place_config "$here/etc/terminator.conf" "$SYSCONFDIR/sluice/terminator.conf"
place_config "$here/etc/balancer.cfg" "$SYSCONFDIR/sluice/balancer.cfg"
place_config "$here/etc/default-sluice-terminator" "$SYSCONFDIR/default/sluice-terminator"
place_config "$here/etc/default-sluice-balancer" "$SYSCONFDIR/default/sluice-balancer"

if [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ] && [ "${SLUICE_INSTALL_SYSTEM:-yes}" != no ]; then
    if command -v systemd-sysusers > /dev/null; then
        systemd-sysusers "$PREFIX/lib/sysusers.d/sluice.conf"
    fi
    # The certificates' directory belongs to the services' group (tmpfiles.d does this at boot).
    chgrp sluice "$SYSCONFDIR/sluice/tls" 2>/dev/null || say "no sluice group yet: $SYSCONFDIR/sluice/tls stays root's"
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        say "systemd reloaded; put the certificate in $SYSCONFDIR/sluice/tls/ and run: systemctl enable --now sluice.target"
    fi
fi
