# Helpers for scripts/bench/run: process CPU and memory from /proc, waiting, medians.
# Sourced, not run.

# clock ticks per second for /proc/PID/stat's utime and stime
BENCH_HZ="$(getconf CLK_TCK)"

bench_tree() { # PID -> PID and all its descendants, one per line
    local pid="$1" child
    echo "$pid"
    for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
        bench_tree "$child"
    done
}

bench_cpu_ticks() { # PID -> utime+stime of the process tree, in clock ticks
    local total=0 pid fields root="$1"
    for pid in $(bench_tree "$root"); do
        # the command name (field 2) may hold spaces: cut everything up to its closing parenthesis
        fields="$(sed 's/^.*) //' /proc/"$pid"/stat 2>/dev/null)" || continue
        [ -n "$fields" ] || continue
        set -- $fields
        total=$((total + ${12} + ${13}))
        # children that ended and were reaped by the root (an old HAProxy worker after a reload)
        [ "$pid" != "$root" ] || total=$((total + ${14} + ${15}))
    done
    echo "$total"
}

bench_rss_kib() { # PID -> VmRSS of the process tree, KiB
    local total=0 pid rss
    for pid in $(bench_tree "$1"); do
        rss="$(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status 2>/dev/null)"
        total=$((total + ${rss:-0}))
    done
    echo "$total"
}

bench_wait_port() { # PORT PID NAME
    local i
    for i in $(seq 1 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "bench: $3 exited before listening on $1" >&2; return 1; }
        sleep 0.1
    done
    echo "bench: $3 not listening on $1 after 30 s" >&2
    return 1
}

bench_wait_log() { # FILE PATTERN COUNT: until PATTERN appears COUNT times (60 s at most)
    local i
    for i in $(seq 1 600); do
        [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
        sleep 0.1
    done
    echo "bench: '$2' not seen $3 times in $1 after 60 s" >&2
    return 1
}

bench_stop() { # PID: TERM, then KILL after 10 s
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

bench_median() { # numbers on stdin -> median
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A port nothing listens on, below the ephemeral range, never handed out twice in one run (the
# listeners start later; $work/ports.given remembers, since callers run this in a subshell).
bench_free_port() {
    local port attempt given="${work:?}/ports.given"
    touch "$given"
    for attempt in $(seq 1 1000); do
        port=$((10000 + RANDOM % 20000))
        grep -qx "$port" "$given" && continue
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        echo "$port" >> "$given"
        echo "$port"
        return
    done
    echo "bench: no free port below 30000 in 1000 draws" >&2
    return 1
}

# wrk's latency figures ("1.23ms", "456.00us", "1.02s") -> microseconds
bench_to_us() {
    awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); print v } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v * 1000 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000000 } else print "nan" }'
}
