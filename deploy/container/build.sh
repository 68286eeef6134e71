#!/usr/bin/env bash
# Builds the Sluice node image locally, with no registry: deploy/container/build.sh CONTEXT_DIR [TAG]
# Lays out the build context in CONTEXT_DIR (the Dockerfile, rootfs.tar, java/, sluice/) and, when
# TAG is given, runs "docker build" on it (DOCKER, default /usr/bin/docker, honours DOCKER_HOST).
#   rootfs.tar  a Debian bookworm tree made by debootstrap: SLUICE_ROOTFS, else the tree the tests
#               boot (deploy/test/nspawn-rootfs.sh, cached), without docs, man pages and apt lists
#   java/       a jlink runtime with the modules jdeps finds in the binaries, plus the ones used by
#               logging, monitoring and profiling (from JAVA_HOME, Java 25)
#   sluice/     deploy/install.sh with DESTDIR, and the entry point sluice-node
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
context="${1:?usage: build.sh CONTEXT_DIR [TAG]}"
tag="${2:-}"
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
EXTRA_MODULES=java.logging,java.xml,java.management,jdk.management,jdk.jfr,jdk.unsupported,jdk.net,jdk.zipfs

mkdir -p "$context"
rm -rf "$context/java" "$context/sluice"

tree="${SLUICE_ROOTFS:-$("$root/deploy/test/nspawn-rootfs.sh" | tail -n 1)}"
[ -x "$tree/bin/bash" ] || { echo "build.sh: $tree is not a Debian tree" >&2; exit 1; }
tar -C "$tree" --numeric-owner --exclude=./usr/share/doc --exclude=./usr/share/man --exclude=./usr/share/locale \
    --exclude=./var/lib/apt/lists --exclude=./var/cache/apt --exclude=./.complete -cf "$context/rootfs.tar" .

DESTDIR="$context/sluice" SLUICE_ROOT="$root" "$root/deploy/install.sh" > /dev/null
install -m 0755 "$here/sluice-node" "$context/sluice/usr/lib/sluice/sluice-node"

jars=()
for module in terminator balancer; do
    jars+=("$root/$module/target/sluice-$module.jar")
    for jar in "$root/$module/target/lib/"*.jar; do
        case " ${jars[*]##*/} " in *" ${jar##*/} "*) ;; *) jars+=("$jar") ;; esac
    done
done
modules="$("$java_home/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps "${jars[@]}" 2> /dev/null | tail -n 1)"
"$java_home/bin/jlink" --add-modules "$modules,$EXTRA_MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$context/java"
cp "$here/Dockerfile" "$context/Dockerfile"
echo "build.sh: context in $context (java modules: $modules,$EXTRA_MODULES)"

if [ -n "$tag" ]; then
    DOCKER_BUILDKIT=0 "${DOCKER:-/usr/bin/docker}" build -q -t "$tag" "$context"
fi
