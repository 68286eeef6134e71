package dev.sluice.balancer.runtime;

import dev.sluice.balancer.check.HttpProbe;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * A server's health-check and warm-up settings.
 *
 * @param check          {@code check}: run health checks (else the server is always operational)
 * @param inter          interval between checks while UP and stable (HAProxy's default 2 s)
 * @param fastinter      interval while a transition is pending (defaults to inter)
 * @param downinter      interval while fully DOWN (defaults to inter)
 * @param rise           consecutive successes that bring a DOWN server UP
 * @param fall           consecutive failures that take an UP server DOWN
 * @param port           {@code port}: where checks connect, 0 for the server's port
 * @param address        {@code addr}: where checks connect, null for the server's address
 * @param connectTimeout how long a check's connect may take ({@code timeout connect}, else inter)
 * @param readTimeout    how long a check waits for the answer after connecting ({@code timeout check},
 *                       else inter)
 * @param http           {@code option httpchk}: the request and expectation, null for a TCP connect check
 * @param slowstart      the weight ramps from ~0 to full over this time after the server comes UP; zero: none
 * @param observe        passive health: live traffic judged ({@code observe}, {@code error-limit}, {@code on-error})
 * @param marked         {@code on-marked-down} and {@code on-marked-up}: what transitions do to open connections
 * @param tcp            {@code option tcp-check} or a protocol check ({@code redis-check}, …): the ruleset, null
 *                       for none
 * @param sources        {@code track} and {@code agent-check}
 */
public record ServerHealth(boolean check, Duration inter, Duration fastinter, Duration downinter, int rise,
                           int fall, int port, InetAddress address, Duration connectTimeout, Duration readTimeout,
                           HttpProbe http, Duration slowstart, ServerObserve observe, MarkedActions marked,
                           dev.sluice.balancer.check.TcpCheck tcp, HealthSources sources) {

    /** Health without track or agent. */
    public ServerHealth(boolean check, Duration inter, Duration fastinter, Duration downinter, int rise,
                        int fall, int port, InetAddress address, Duration connectTimeout, Duration readTimeout,
                        HttpProbe http, Duration slowstart, ServerObserve observe, MarkedActions marked,
                        dev.sluice.balancer.check.TcpCheck tcp) {
        this(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout, readTimeout, http,
                slowstart, observe, marked, tcp, HealthSources.NONE);
    }

    /** Health without a tcp-check ruleset. */
    public ServerHealth(boolean check, Duration inter, Duration fastinter, Duration downinter, int rise,
                        int fall, int port, InetAddress address, Duration connectTimeout, Duration readTimeout,
                        HttpProbe http, Duration slowstart, ServerObserve observe, MarkedActions marked) {
        this(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout, readTimeout, http,
                slowstart, observe, marked, null);
    }

    /** Health whose transitions leave open connections alone. */
    public ServerHealth(boolean check, Duration inter, Duration fastinter, Duration downinter, int rise,
                        int fall, int port, InetAddress address, Duration connectTimeout, Duration readTimeout,
                        HttpProbe http, Duration slowstart, ServerObserve observe) {
        this(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout, readTimeout, http,
                slowstart, observe, MarkedActions.NONE);
    }

    /** Health without passive observation of live traffic. */
    public ServerHealth(boolean check, Duration inter, Duration fastinter, Duration downinter, int rise,
                        int fall, int port, InetAddress address, Duration connectTimeout, Duration readTimeout,
                        HttpProbe http, Duration slowstart) {
        this(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout, readTimeout, http,
                slowstart, ServerObserve.NONE);
    }

    public static final Duration DEFAULT_INTER = Duration.ofSeconds(2);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    /** No health checks, no slowstart. */
    public static final ServerHealth NONE = new ServerHealth(false, DEFAULT_INTER, DEFAULT_INTER, DEFAULT_INTER,
            DEFAULT_RISE, DEFAULT_FALL, 0, null, DEFAULT_INTER, DEFAULT_INTER, null, Duration.ZERO);

    public ServerHealth {
        positive(inter, "inter");
        positive(fastinter, "fastinter");
        positive(downinter, "downinter");
        positive(connectTimeout, "connectTimeout");
        positive(readTimeout, "readTimeout");
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise/fall: " + rise + "/" + fall + " (expected: >= 1)");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        Objects.requireNonNull(slowstart, "slowstart");
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(marked, "marked");
        Objects.requireNonNull(sources, "sources");
        if (slowstart.isNegative()) {
            throw new IllegalArgumentException("slowstart: " + slowstart + " (expected: >= 0)");
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    /** TCP connect checks with these intervals and counters (for tests and the demo). */
    public static ServerHealth tcp(Duration inter, int rise, int fall) {
        return new ServerHealth(true, inter, inter, inter, rise, fall, 0, null, inter, inter, null, Duration.ZERO);
    }

    public ServerHealth withHttp(HttpProbe probe) {
        return new ServerHealth(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout,
                readTimeout, probe, slowstart, observe, marked, tcp, sources);
    }

    public ServerHealth withIntervals(Duration newFastinter, Duration newDowninter) {
        return new ServerHealth(check, inter, newFastinter, newDowninter, rise, fall, port, address, connectTimeout,
                readTimeout, http, slowstart, observe, marked, tcp, sources);
    }

    public ServerHealth withSlowstart(Duration newSlowstart) {
        return new ServerHealth(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout,
                readTimeout, http, newSlowstart, observe, marked, tcp, sources);
    }

    public ServerHealth withObserve(ServerObserve newObserve) {
        return new ServerHealth(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout,
                readTimeout, http, slowstart, newObserve, marked, tcp, sources);
    }

    public ServerHealth withMarked(MarkedActions newMarked) {
        return new ServerHealth(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout,
                readTimeout, http, slowstart, observe, newMarked, tcp, sources);
    }

    public ServerHealth withSources(HealthSources newSources) {
        return new ServerHealth(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout,
                readTimeout, http, slowstart, observe, marked, tcp, newSources);
    }

    public ServerHealth withTcp(dev.sluice.balancer.check.TcpCheck newTcp) {
        return new ServerHealth(check, inter, fastinter, downinter, rise, fall, port, address, connectTimeout,
                readTimeout, http, slowstart, observe, marked, newTcp, sources);
    }
}
