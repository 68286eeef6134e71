#!/usr/bin/env bash
# The node image end to end, with a Docker engine this script starts inside a network namespace it
# creates (bridge 198.18.200.1/24, address pools from 198.18.208.0/20: nothing on the host's
# network), and removes again, by PID, on exit:
#   build the image (deploy/container/build.sh), start two nginx backends in the namespace, run the
#   node container with /etc/sluice mounted and 443 published on 8443, then check HTTPS through it
#   to both backends (with X-Forwarded-For), a reload (SIGHUP), and "docker stop" (exit 0, bounded).
# Prints "image: RESULT name key=value…" lines (read by NodeImageIT); exits 0 when every step held.
# LAB_IMPL=sluice (default) runs the image as built; reference replaces its launchers with hitch and
# haproxy in a derived image.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
impl="${LAB_IMPL:-sluice}"
docker=/usr/bin/docker
id="sln$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d /var/tmp/sluice-image.XXXXXX)"
netns=""
SERVE_LIMIT_S=90
STOP_LIMIT_S=30
pids=()

log() { echo "image: $*"; }
die() { echo "image: FAIL $*" >&2; exit 1; }
in_ns() { nsenter --net="/run/netns/$netns" "$@"; }

cleanup() {
    set +e
    [ -n "${container:-}" ] && "$docker" rm -f "$container" > /dev/null 2>&1
    local pid i
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2> /dev/null
        for i in $(seq 200); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2> /dev/null
    done
    # The engine (by its PID), its mounts and its namespace.
    "$here/engine.sh" stop "$work/engine" > /dev/null
    rm -rf "$work"
}

[ "$(id -u)" -eq 0 ] || die "run as root (network namespace, Docker engine)"
for tool in dockerd containerd "$docker" nsenter nginx curl openssl; do
    command -v "$tool" > /dev/null || { echo "image: SKIP no container engine here: $tool is missing (scripts/test installs docker.io)"; exit 3; }
done
trap 'status=$?; cleanup; exit $status' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$here/engine.sh" start "$work/engine" > "$work/engine.out" || { status=$?; sed 's/^engine:/image:/' "$work/engine.out"; exit $status; }
netns="$(sed -n 's/^engine: netns=//p' "$work/engine.out")"
export DOCKER_HOST="$(sed -n 's/^engine: socket=//p' "$work/engine.out")"
log "engine up in namespace $netns"

tag="sluice-node:test-$id"
"$here/build.sh" "$work/context" "$tag" > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "image build failed"; }
if [ "$impl" = reference ]; then
    mkdir -p "$work/reference"
    cp "$root/deploy/test/reference/container/"* "$work/reference/"
    printf 'FROM %s\nCOPY sluice-terminator sluice-balancer /usr/bin/\n' "$tag" > "$work/reference/Dockerfile"
    DOCKER_BUILDKIT=0 "$docker" build -q -t "$tag-reference" "$work/reference" > /dev/null
    tag="$tag-reference"
fi
log "RESULT build image=$tag size_mb=$(( $("$docker" image inspect -f '{{.Size}}' "$tag") / 1048576 ))"

# Backends: nginx in the engine's namespace, reached from the container through the bridge.
for i in 1 2; do
    mkdir -p "$work/be$i"
    cat > "$work/be$i/nginx.conf" <<NGINX
worker_processes 1;
pid $work/be$i/nginx.pid;
error_log stderr;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path $work/be$i;
    proxy_temp_path $work/be$i;
    fastcgi_temp_path $work/be$i;
    uwsgi_temp_path $work/be$i;
    scgi_temp_path $work/be$i;
    server {
        listen 198.18.200.1:808$i;
        location / { default_type text/plain; return 200 "be=be$i xff=\$http_x_forwarded_for uri=\$request_uri\n"; }
    }
}
NGINX
    nsenter --net="/run/netns/$netns" nginx -c "$work/be$i/nginx.conf" -g "daemon off;" > "$work/be$i.log" 2>&1 < /dev/null &
    pids+=($!)
done

# The node's configuration, mounted read-only as /etc/sluice.
etc="$work/etc"
mkdir -p "$etc/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
    -days 2 -subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1" 2> /dev/null
cat "$work/key.pem" "$work/cert.pem" > "$etc/tls/site.pem"
cat > "$etc/terminator.conf" <<CONF
frontend = "[*]:443"
backend = "[127.0.0.1]:8080"
write-proxy-v2 = on
pem-file = "/etc/sluice/tls/site.pem"
CONF
cat > "$etc/balancer.cfg" <<CFG
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    option forwardfor
frontend edge
    bind 127.0.0.1:8080 accept-proxy
    default_backend app
backend app
    balance roundrobin
    server be1 198.18.200.1:8081
    server be2 198.18.200.1:8082
CFG
chmod -R a+rX "$etc"

container="$("$docker" run -d --name "$id-node" -p 127.0.0.1:8443:443 -v "$etc:/etc/sluice:ro" "$tag")"
request() { in_ns curl -sk --max-time 5 "https://127.0.0.1:8443/hello?i=$1"; }
start=$(date +%s%N)
until request 0 > /dev/null 2>&1; do
    running="$("$docker" inspect -f '{{.State.Running}}' "$container")"
    if [ "$running" != true ] || [ $((($(date +%s%N) - start) / 1000000000)) -ge "$SERVE_LIMIT_S" ]; then
        "$docker" logs "$container" 2>&1 | tail -n 30 >&2
        die "the node did not serve HTTPS within ${SERVE_LIMIT_S}s (running: $running)"
    fi
    sleep 0.2
done
log "RESULT ready ms=$((($(date +%s%N) - start) / 1000000))"

serve() { # NAME
    local ok=0 be1=0 be2=0 xff=0 body i
    for i in $(seq 10); do
        body="$(request "$i" 2> /dev/null)" || continue
        case "$body" in *"uri=/hello?i=$i"*) ok=$((ok + 1)) ;; esac
        case "$body" in be=be1*) be1=$((be1 + 1)) ;; be=be2*) be2=$((be2 + 1)) ;; esac
        case "$body" in *xff=198.18.*) xff=$((xff + 1)) ;; esac
    done
    log "RESULT $1 requests=10 ok=$ok be1=$be1 be2=$be2 xff=$xff"
}
serve serve
"$docker" kill -s HUP "$container" > /dev/null
sleep 1
log "RESULT reload running=$("$docker" inspect -f '{{.State.Running}}' "$container" | sed 's/true/1/;s/false/0/')"
serve after-reload

start=$(date +%s%N)
"$docker" stop -t "$STOP_LIMIT_S" "$container" > /dev/null
log "RESULT stop ms=$((($(date +%s%N) - start) / 1000000)) limit_ms=$((STOP_LIMIT_S * 1000)) exit=$("$docker" inspect -f '{{.State.ExitCode}}' "$container")"
