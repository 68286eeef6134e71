# Shared by the launchers: find a JDK >= 25 and build a binary when its jar is missing.
# Sourced, not run. Sets SLUICE_ROOT and JAVA_HOME.

SLUICE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SLUICE_MIN_JAVA=25

sluice_java_major() { # JAVA_HOME -> major version, or nothing
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

sluice_find_jdk() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        major="$(sluice_java_major "$candidate")"
        if [ -n "$major" ] && [ "$major" -ge "$SLUICE_MIN_JAVA" ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    echo "sluice: a JDK $SLUICE_MIN_JAVA or newer is needed (e.g. Temurin 25); set JAVA_HOME to it" >&2
    return 1
}

sluice_build_if_missing() { # module
    local jar="$SLUICE_ROOT/$1/target/sluice-$1.jar"
    [ -f "$jar" ] && [ -d "$SLUICE_ROOT/$1/target/lib" ] && return 0
    echo "sluice: $jar is missing; building it (mvn package -DskipTests)" >&2
    (cd "$SLUICE_ROOT" && mvn -q -B -DskipTests -pl "$1" -am package) >&2
}
