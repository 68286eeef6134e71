#!/usr/bin/env bash
# A Docker engine for the container tests, inside a network namespace of its own, so that its
# bridge (198.18.200.1/24), its networks (pools from 198.18.208.0/20), its NAT rules and the ports
# it publishes never touch the host's network:
#
#   engine.sh start DIR   makes DIR (the engine's data root, exec root, socket and log) and the
#                         namespace, starts dockerd there, waits until it answers (bound 60 s) and
#                         prints "engine: netns=NAME", "engine: pid=PID", "engine: socket=unix://…"
#   engine.sh stop DIR    stops that dockerd by its PID (TERM; KILL after 20 s), unmounts what it
#                         left mounted under DIR, deletes the namespace and DIR
#
# Clients use DOCKER_HOST=SOCKET (the engine's client is /usr/bin/docker) and run inside the
# namespace (nsenter --net=/run/netns/NAME) to reach published ports. Exit status 3: no engine can
# run here (not root, or a tool is missing), with the reason on stdout as "engine: SKIP …".
set -euo pipefail

NO_ENGINE=3
READY_LIMIT_S=60
STOP_LIMIT_S=20
docker=/usr/bin/docker

die() { echo "engine: FAIL $*" >&2; exit 1; }

start() { # DIR
    local dir="$1" netns pid i
    [ "$(id -u)" -eq 0 ] || { echo "engine: SKIP no container engine here: a network namespace and dockerd need root"; exit $NO_ENGINE; }
    for tool in dockerd containerd "$docker" nsenter ip; do
        command -v "$tool" > /dev/null || { echo "engine: SKIP no container engine here: $tool is missing (scripts/test installs docker.io)"; exit $NO_ENGINE; }
    done
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    netns="sle$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
    ip netns add "$netns"
    echo "netns=$netns" > "$dir/engine.env"
    nsenter --net="/run/netns/$netns" ip link set lo up
    # Started with nsenter itself (not a function or subshell) so that $! is the engine's own PID;
    # its output goes to a file, so it holds no pipe of the caller open after this script exits.
    nsenter --net="/run/netns/$netns" dockerd --host "unix://$dir/docker.sock" --data-root "$dir/data" \
        --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
        --bip 198.18.200.1/24 --default-address-pool base=198.18.208.0/20,size=24 --ip6tables=false \
        > "$dir/dockerd.log" 2>&1 < /dev/null &
    pid=$!
    echo "pid=$pid" >> "$dir/engine.env"
    for i in $(seq $((READY_LIMIT_S * 10))); do
        DOCKER_HOST="unix://$dir/docker.sock" "$docker" info > /dev/null 2>&1 && break
        kill -0 "$pid" 2> /dev/null || { tail -n 20 "$dir/dockerd.log" >&2; stop "$dir"; die "dockerd exited"; }
        sleep 0.1
    done
    DOCKER_HOST="unix://$dir/docker.sock" "$docker" info > /dev/null 2>&1 || {
        tail -n 20 "$dir/dockerd.log" >&2
        stop "$dir"
        die "dockerd did not answer within ${READY_LIMIT_S}s"
    }
    echo "engine: netns=$netns"
    echo "engine: pid=$pid"
    echo "engine: socket=unix://$dir/docker.sock"
}

stop() { # DIR
    local dir="$1" netns="" pid="" i m
    [ -f "$dir/engine.env" ] || { rm -rf "$dir"; return 0; }
    netns="$(sed -n 's/^netns=//p' "$dir/engine.env")"
    pid="$(sed -n 's/^pid=//p' "$dir/engine.env")"
    if [ -n "$pid" ] && kill -TERM "$pid" 2> /dev/null; then
        for i in $(seq $((STOP_LIMIT_S * 10))); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2> /dev/null || true
    fi
    # What the engine mounted under its roots, should it have died without unmounting.
    { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
    [ -z "$netns" ] || ip netns del "$netns" 2> /dev/null || true
    rm -rf "$dir"
    echo "engine: stopped${pid:+ pid $pid}${netns:+, namespace $netns deleted}"
}

case "${1:-}" in
    start) start "${2:?usage: engine.sh start DIR}" ;;
    stop) stop "${2:?usage: engine.sh stop DIR}" ;;
    *) echo "usage: engine.sh start|stop DIR" >&2; exit 2 ;;
esac
