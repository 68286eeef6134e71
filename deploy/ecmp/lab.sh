#!/usr/bin/env bash
# The ECMP edge in network namespaces: a client, a router running BIRD with ECMP, two Sluice nodes
# (terminator + balancer + BIRD + sluice-vip-health, the VIP on lo) and two nginx backends behind
# a switch. Addresses come from the benchmark range 198.18.0.0/15 only and never leave the
# namespaces; nothing is resolved by name.
#
#   deploy/ecmp/lab.sh up      build it and leave it running (state in LAB_STATE, default /run/sluice-lab)
#   deploy/ecmp/lab.sh test    build it, check spread, that "balance uri" + "hash-type consistent"
#                              sends each URI to the same backend through either node, failover
#                              and recovery (terminator stop on node1, balancer stop on node2,
#                              node1 link down), tear it down
#   deploy/ecmp/lab.sh down    stop every process by PID and delete the namespaces
#
# LAB_IMPL=sluice (default: scripts/terminator and scripts/balancer) or reference (hitch, haproxy).
# "test" prints "lab: RESULT name key=value…" lines (read by EcmpLabIT) and exits 0 only if every
# check held; a failed check prints "lab: FAIL …".
#
#   client 198.18.1.2 ── 198.18.1.1 router ─┬─ 198.18.2.1 ── 198.18.2.2 node1 (VIP 198.18.0.10 on lo) ─┐
#                                            └─ 198.18.3.1 ── 198.18.3.2 node2 (VIP 198.18.0.10 on lo) ─┤ switch
#                                                      backends be1 198.18.6.11, be2 198.18.6.12 ───────┘ 198.18.6.0/24
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
impl="${LAB_IMPL:-sluice}"
VIP=198.18.0.10
ROUTER_AS=65000
NODE_AS=65001
# Health check cadence, and the bound a failover must meet: fall × interval + one probe timeout
# for the health check to withdraw the VIP, plus the BGP hold time (3 s, the worst case: a dead
# peer; a withdrawal or a lost carrier propagates in well under a second), plus 1 s of slack.
HEALTH_INTERVAL=0.5 HEALTH_RISE=2 HEALTH_FALL=2 HEALTH_TIMEOUT=1 BGP_HOLD_S=3
FAILOVER_LIMIT_MS=$((HEALTH_FALL * 500 + HEALTH_TIMEOUT * 1000 + BGP_HOLD_S * 1000 + 1000))
# Recovery includes starting the process again (a JVM) and BGP's reconnect after a link came back.
RECOVERY_LIMIT_MS="${LAB_RECOVERY_LIMIT_MS:-30000}"
START_LIMIT_S="${LAB_START_LIMIT_S:-90}"
FLOWS="${LAB_FLOWS:-40}"
# URIs requested through each node for the "balance uri" + "hash-type consistent" check.
URIS="${LAB_URIS:-40}"

log() { echo "lab: $*"; }
die() { echo "lab: $*" >&2; exit 1; }

# ---------------------------------------------------------------- state: namespaces and PIDs
state_init() { # DIR
    state="$1"
    mkdir -p "$state"
    [ -f "$state/id" ] || echo "sl$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')" > "$state/id"
    id="$(cat "$state/id")"
    touch "$state/pids" "$state/netns"
}
ns() { echo "$id-$1"; }                                  # NAME -> namespace name
in_ns() { local n="$1"; shift; nsenter --net="/run/netns/$(ns "$n")" "$@"; }
add_ns() { ip netns add "$(ns "$1")"; echo "$(ns "$1")" >> "$state/netns"; in_ns "$1" ip link set lo up; }
spawn() { # NAME NS LOGFILE COMMAND… : starts COMMAND in namespace NS, remembers its PID as NAME
    local name="$1" n="$2" logfile="$3"
    shift 3
    nsenter --net="/run/netns/$(ns "$n")" "$@" > "$logfile" 2>&1 < /dev/null &
    echo "$name $!" >> "$state/pids"
}
pid_of() { awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$state/pids"; }
stop_pid() { # PID: SIGTERM, then SIGKILL after 5 s
    local pid="$1" i
    kill -TERM "$pid" 2> /dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2> /dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2> /dev/null || true
}
stop_named() { # NAME
    local pid
    pid="$(pid_of "$1")"
    [ -n "$pid" ] && stop_pid "$pid"
    sed -i "/^$1 /d" "$state/pids"
}

all_alive() { # every process the lab started still runs (else: say which and fail)
    local name pid
    while read -r name pid; do
        kill -0 "$pid" 2> /dev/null || { echo "lab: $name (pid $pid) exited" >&2; return 1; }
    done < "$state/pids"
}

cmd_down() {
    [ -d "$state" ] || return 0
    local name pid n
    # Newest first: health checks before the services they watch, services before BIRD.
    tac "$state/pids" | while read -r name pid; do
        stop_pid "$pid"
    done
    : > "$state/pids"
    while read -r n; do
        ip netns del "$n" 2> /dev/null || true
    done < "$state/netns"
    : > "$state/netns"
    log "down: processes stopped, namespaces deleted"
}

# ---------------------------------------------------------------- building the lab
veth() { # NS_A IF_A NS_B IF_B: a veth pair created directly inside the two namespaces
    ip link add name "$2" netns "$(ns "$1")" type veth peer name "$4" netns "$(ns "$3")"
    in_ns "$1" ip link set "$2" up
    in_ns "$3" ip link set "$4" up
}

network() {
    for n in client router node1 node2 switch be1 be2; do add_ns "$n"; done
    # The router's kernel settings are the shipped file; the nodes' too (host-wide keys skipped).
    in_ns router sysctl -q -p "$here/../sysctl/99-sluice-router.conf"
    veth client c0 router rc
    in_ns client ip addr add 198.18.1.2/24 dev c0
    in_ns client ip route add default via 198.18.1.1
    in_ns router ip addr add 198.18.1.1/24 dev rc
    in_ns switch ip link add br0 type bridge
    in_ns switch ip link set br0 up
    local i
    for i in 1 2; do
        in_ns "node$i" sysctl -q -e -p "$here/../sysctl/99-sluice.conf" 2> /dev/null || true
        veth router "rn$i" "node$i" uplink
        in_ns router ip addr add "198.18.$((i + 1)).1/24" dev "rn$i"
        in_ns router sysctl -q -w "net.ipv4.conf.rn$i.ignore_routes_with_linkdown=1"
        in_ns "node$i" ip addr add "198.18.$((i + 1)).2/24" dev uplink
        in_ns "node$i" ip route add default via "198.18.$((i + 1)).1"
        in_ns "node$i" ip addr add "$VIP/32" dev lo
        veth "node$i" bk switch "p-node$i"
        in_ns "node$i" ip addr add "198.18.6.$i/24" dev bk
        in_ns switch ip link set "p-node$i" master br0
        veth "be$i" eth0 switch "p-be$i"
        in_ns "be$i" ip addr add "198.18.6.1$i/24" dev eth0
        in_ns switch ip link set "p-be$i" master br0
    done
}

fill() { # TEMPLATE OUT VAR=VALUE…: the @VAR@ placeholders of a shipped config
    local template="$1" out="$2" expr=() kv
    shift 2
    for kv in "$@"; do expr+=(-e "s|@${kv%%=*}@|${kv#*=}|g"); done
    sed "${expr[@]}" "$template" > "$out"
}

start_bird() { # NAME NS CONFIG
    spawn "bird-$1" "$2" "$state/bird-$1.log" bird -f -c "$3" -s "$state/bird-$1.ctl" -P "$state/bird-$1.pid"
}

start_backends() {
    local i
    for i in 1 2; do
        mkdir -p "$state/be$i"
        cat > "$state/be$i/nginx.conf" <<NGINX
worker_processes 1;
pid $state/be$i/nginx.pid;
error_log stderr;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $state/be$i;
    proxy_temp_path $state/be$i;
    fastcgi_temp_path $state/be$i;
    uwsgi_temp_path $state/be$i;
    scgi_temp_path $state/be$i;
    server {
        listen 198.18.6.1$i:80;
        location / { default_type text/plain; return 200 "be=be$i node=\$remote_addr uri=\$request_uri\n"; }
    }
}
NGINX
        spawn "nginx-be$i" "be$i" "$state/nginx-be$i.log" nginx -c "$state/be$i/nginx.conf" -g "daemon off;"
    done
}

start_terminator() { # NODE
    local args=(--frontend="[$VIP]:443" --backend="[127.0.0.1]:8080" --write-proxy-v2 --workers=1)
    if [ "$impl" = reference ]; then
        spawn "terminator-$1" "$1" "$state/terminator-$1.log" hitch --user=nobody "${args[@]}" "$state/site.pem"
    else
        spawn "terminator-$1" "$1" "$state/terminator-$1.log" "$root/scripts/terminator" "${args[@]}" "$state/site.pem"
    fi
}

start_balancer() { # NODE
    cat > "$state/balancer-$1.cfg" <<CFG
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
    # Both nodes hash the same way over the same servers: a URI lands on the same backend
    # whichever node the router sent its flow to (checked by uri_affinity).
    balance uri
    hash-type consistent
    server be1 198.18.6.11:80
    server be2 198.18.6.12:80
CFG
    if [ "$impl" = reference ]; then
        spawn "balancer-$1" "$1" "$state/balancer-$1.log" haproxy -db -f "$state/balancer-$1.cfg"
    else
        spawn "balancer-$1" "$1" "$state/balancer-$1.log" "$root/scripts/balancer" -db -f "$state/balancer-$1.cfg"
    fi
}

start_health() { # NODE
    spawn "health-$1" "$1" "$state/health-$1.log" "$here/sluice-vip-health" --vip "$VIP" \
        --balancer 127.0.0.1:8080 --bird-socket "$state/bird-$1.ctl" --protocol vip \
        --interval "$HEALTH_INTERVAL" --rise "$HEALTH_RISE" --fall "$HEALTH_FALL" --timeout "$HEALTH_TIMEOUT"
}

cmd_up() {
    case "$impl" in sluice | reference) ;; *) die "LAB_IMPL must be sluice or reference, not '$impl'" ;; esac
    for tool in bird birdc nginx curl openssl ip nsenter; do
        command -v "$tool" > /dev/null || die "$tool is missing (scripts/test installs bird2, nginx-light, curl…)"
    done
    if [ "$impl" = reference ]; then
        for tool in hitch haproxy; do command -v "$tool" > /dev/null || die "$tool is missing (LAB_IMPL=reference)"; done
    fi
    network
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$state/key.pem" \
        -out "$state/cert.pem" -days 2 -subj "/CN=$VIP" -addext "subjectAltName=IP:$VIP" 2> /dev/null
    cat "$state/key.pem" "$state/cert.pem" > "$state/site.pem"
    chmod 0644 "$state/site.pem"

    local peers="" i
    for i in 1 2; do
        peers+="protocol bgp node$i from sluice_node { neighbor 198.18.$((i + 1)).2 as $NODE_AS; }"$'\n'
    done
    fill "$here/bird-router.conf" "$state/bird-router.conf" ROUTER_ID=198.18.1.1 ROUTER_AS=$ROUTER_AS \
        VIP_NET="$VIP/32" NODE_PEERS="${peers//$'\n'/\\n}"
    start_bird router router "$state/bird-router.conf"
    start_backends
    for i in 1 2; do
        fill "$here/bird-node.conf" "$state/bird-node$i.conf" NODE_ID="198.18.$((i + 1)).2" NODE_AS=$NODE_AS \
            ROUTER_ADDR="198.18.$((i + 1)).1" ROUTER_AS=$ROUTER_AS VIP_NET="$VIP/32"
        start_bird "node$i" "node$i" "$state/bird-node$i.conf"
        start_balancer "node$i"
        start_terminator "node$i"
    done
    for i in 1 2; do start_health "node$i"; done
    log "up ($impl): waiting for both nodes to announce $VIP (bound ${START_LIMIT_S}s)"
    await_paths 2 "$START_LIMIT_S" > /dev/null || die "the router did not get 2 paths to $VIP"
    log "up: the router has 2 paths to $VIP; try: nsenter --net=/run/netns/$(ns client) curl -k https://$VIP/"
}

# ---------------------------------------------------------------- observing and checking
live_paths() { # number of usable next hops the router has for the VIP
    in_ns router ip route show "$VIP/32" | tr '\n' ' ' | sed 's/nexthop/\n/g' | grep ' via ' | grep -vc -e dead -e linkdown || true
}

await_paths() { # COUNT LIMIT_S: prints the milliseconds it took
    local want="$1" limit_ms=$(($2 * 1000)) start now
    start=$(date +%s%N)
    while :; do
        now=$(date +%s%N)
        [ "$(live_paths)" = "$want" ] && { echo $(((now - start) / 1000000)); return 0; }
        all_alive || return 1
        [ $(((now - start) / 1000000)) -lt "$limit_ms" ] || return 1
        sleep 0.1
    done
}

port=20000
request() { # -> "node1|node2|fail" for one new connection; callers take a fresh source port first
    local body
    body="$(in_ns client curl -sk --connect-timeout 2 --max-time 3 --local-port "$port" "https://$VIP/lab?p=$port" 2> /dev/null)" || { echo fail; return; }
    case "$body" in
        *node=198.18.6.1\ *) echo node1 ;;
        *node=198.18.6.2\ *) echo node2 ;;
        *) echo fail ;;
    esac
}

batch() { # NAME: FLOWS new connections; prints a RESULT line with counts
    local n1=0 n2=0 fail=0 i
    for i in $(seq "$FLOWS"); do
        port=$((port + 1))
        case "$(request)" in node1) n1=$((n1 + 1)) ;; node2) n2=$((n2 + 1)) ;; *) fail=$((fail + 1)) ;; esac
    done
    log "RESULT $1 flows=$FLOWS ok=$((n1 + n2)) node1=$n1 node2=$n2 failed=$fail paths=$(live_paths)"
}

backend_via() { # NODE URI -> "be1|be2|fail": URI requested through NODE's own terminator and balancer
    local body
    # Inside NODE the VIP is its own loopback address: the request never crosses the router.
    body="$(in_ns "$1" curl -sk --connect-timeout 2 --max-time 3 "https://$VIP$2" 2> /dev/null)" || { echo fail; return; }
    case "$body" in
        "be=be"[12]" node=198.18.6.${1#node} uri=$2") echo "${body:3:3}" ;;
        *) echo fail ;;
    esac
}

uri_affinity() { # NAME: URIS distinct URIs through node1 and node2; prints a RESULT line with counts
    local same=0 differ=0 failed=0 be1=0 be2=0 i uri a b
    for i in $(seq "$URIS"); do
        uri="/catalog/item-$i/$((i * 7919 % 1009))"
        a="$(backend_via node1 "$uri")"
        b="$(backend_via node2 "$uri")"
        if [ "$a" = fail ] || [ "$b" = fail ]; then
            failed=$((failed + 1))
        elif [ "$a" = "$b" ]; then
            same=$((same + 1))
            case "$a" in be1) be1=$((be1 + 1)) ;; be2) be2=$((be2 + 1)) ;; esac
        else
            differ=$((differ + 1))
            log "$1: $uri went to $a through node1 but to $b through node2"
        fi
    done
    log "RESULT $1 uris=$URIS same=$same differ=$differ failed=$failed be1=$be1 be2=$be2"
}

converge() { # NAME WANT_PATHS LIMIT_MS: waits for the route set, counting what clients saw meanwhile
    local name="$1" want="$2" limit_ms="$3" start ms seen=0 failed_meanwhile=0
    start=$(date +%s%N)
    while [ "$(live_paths)" != "$want" ]; do
        port=$((port + 1))
        [ "$(request)" = fail ] && failed_meanwhile=$((failed_meanwhile + 1))
        seen=$((seen + 1))
        # Waiting past twice the bound shows how late it was, yet keeps the run bounded.
        [ $((($(date +%s%N) - start) / 1000000)) -lt $((2 * limit_ms)) ] || break
        sleep 0.05
    done
    ms=$((($(date +%s%N) - start) / 1000000))
    log "RESULT $name converged_ms=$ms limit_ms=$limit_ms paths=$(live_paths) requests_meanwhile=$seen failed_meanwhile=$failed_meanwhile"
}
failover() { converge "$1" 1 "$FAILOVER_LIMIT_MS"; }
recovery() { converge "$1" 2 "$RECOVERY_LIMIT_MS"; }

dump_logs() {
    local f
    for f in "$state"/*.log; do echo "----- $(basename "$f")"; tail -n 15 "$f"; done >&2
    echo "----- router routes" >&2
    in_ns router ip route >&2 || true
}

cmd_test() {
    cmd_up
    batch spread
    uri_affinity uri-hash
    # 1. The terminator of node1 stops: its health check withdraws the VIP, BGP removes the path.
    log "node1: stopping the terminator"
    stop_named terminator-node1
    failover failover-process
    batch after-process-failover
    log "node1: starting the terminator again"
    start_terminator node1
    recovery recovery-process
    batch after-process-recovery
    # 2. The balancer of node2 stops: the chain probe fails there, node2 withdraws.
    log "node2: stopping the balancer"
    stop_named balancer-node2
    failover failover-balancer
    batch after-balancer-failover
    log "node2: starting the balancer again"
    start_balancer node2
    recovery recovery-balancer
    batch after-balancer-recovery
    # 3. node1's link to the router goes down: the kernel ignores the linkdown next hop at once and
    #    BGP (check link) drops the session.
    log "node1: uplink down"
    in_ns node1 ip link set uplink down
    failover failover-link
    batch after-link-failover
    log "node1: uplink up"
    in_ns node1 ip link set uplink up
    # The kernel flushed node1's routes through the link when it went down.
    in_ns node1 ip route replace default via 198.18.2.1
    recovery recovery-link
    batch after-link-recovery
    # Both balancers were restarted or cut off meanwhile: the URI mapping must not have moved.
    uri_affinity uri-hash-after-recovery
    local i
    for i in 1 2; do
        grep -h -e "healthy" "$state/health-node$i.log" | sed "s/^/lab: node$i /"
    done
}

# ---------------------------------------------------------------- main
[ "$(id -u)" -eq 0 ] || die "run as root (network namespaces)"
case "${1:-}" in
    up)
        state_init "${LAB_STATE:-/run/sluice-lab}"
        trap 'status=$?; set +e; [ $status -eq 0 ] || cmd_down' EXIT
        cmd_up
        ;;
    down)
        state_init "${LAB_STATE:-/run/sluice-lab}"
        cmd_down
        rm -rf "$state"
        ;;
    test)
        state_init "${LAB_STATE:-$(mktemp -d /tmp/sluice-lab.XXXXXX)}"
        trap 'status=$?; set +e; [ $status -eq 0 ] || dump_logs; cmd_down; rm -rf "$state"; exit $status' EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
        cmd_test
        ;;
    *) die "usage: $0 up|test|down (LAB_IMPL=sluice|reference)" ;;
esac
