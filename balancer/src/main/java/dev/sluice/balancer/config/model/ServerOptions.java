package dev.sluice.balancer.config.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings a {@code server} line shares with {@code default-server}. Health-check and
 * persistence settings are stored now so that the backends issue can act on them.
 *
 * @param maxconn  0 means unlimited
 * @param maxqueue 0 means unlimited
 * @param minconn  0 means not set
 * @param inter    health-check interval (HAProxy's default 2 s)
 * @param fastinter interval while a state change is pending, empty when not set (falls back to inter)
 * @param downinter interval while DOWN, empty when not set (falls back to inter)
 * @param checkPort  {@code port}: where checks go, 0 for the server's port
 * @param checkAddr  {@code addr}: where checks go, empty for the server's address
 * @param connections PROXY headers sent, pooling and reuse limits of the server's connections
 * @param resolution {@code resolvers}, {@code resolve-*} and {@code init-addr}: the address found at run time
 * @param sources  {@code track} and {@code agent-check}: health that comes from elsewhere
 * @param source   {@code source ADDR[:PORT]}: the local address of connections to the server
 */
public record ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                            boolean check, Duration inter, Optional<Duration> fastinter,
                            Optional<Duration> downinter, int rise, int fall, int checkPort,
                            Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                            dev.sluice.balancer.runtime.ServerObserve observe,
                            dev.sluice.balancer.runtime.MarkedActions marked,
                            dev.sluice.balancer.runtime.ServerConnections connections,
                            dev.sluice.balancer.runtime.ServerResolution resolution,
                            dev.sluice.balancer.runtime.HealthSources sources,
                            dev.sluice.balancer.runtime.ServerTls tls,
                            dev.sluice.balancer.runtime.SourceAddress source) {

    /** Options of a server reached in clear, without {@code source}. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter,
                         Optional<Duration> downinter, int rise, int fall, int checkPort,
                         Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                         dev.sluice.balancer.runtime.ServerObserve observe,
                         dev.sluice.balancer.runtime.MarkedActions marked,
                         dev.sluice.balancer.runtime.ServerConnections connections,
                         dev.sluice.balancer.runtime.ServerResolution resolution,
                         dev.sluice.balancer.runtime.HealthSources sources) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, observe, marked, connections, resolution, sources,
                dev.sluice.balancer.runtime.ServerTls.NONE, dev.sluice.balancer.runtime.SourceAddress.NONE);
    }

    /** Options without track or agent. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter,
                         Optional<Duration> downinter, int rise, int fall, int checkPort,
                         Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                         dev.sluice.balancer.runtime.ServerObserve observe,
                         dev.sluice.balancer.runtime.MarkedActions marked,
                         dev.sluice.balancer.runtime.ServerConnections connections,
                         dev.sluice.balancer.runtime.ServerResolution resolution) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, observe, marked, connections, resolution,
                dev.sluice.balancer.runtime.HealthSources.NONE);
    }

    /** Options whose address is resolved only at start, with HAProxy's {@code init-addr} default, without track or agent. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter,
                         Optional<Duration> downinter, int rise, int fall, int checkPort,
                         Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                         dev.sluice.balancer.runtime.ServerObserve observe,
                         dev.sluice.balancer.runtime.MarkedActions marked,
                         dev.sluice.balancer.runtime.ServerConnections connections) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, observe, marked, connections,
                dev.sluice.balancer.runtime.ServerResolution.NONE);
    }

    /** Options with the default PROXY-header and pooling settings. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter,
                         Optional<Duration> downinter, int rise, int fall, int checkPort,
                         Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                         dev.sluice.balancer.runtime.ServerObserve observe,
                         dev.sluice.balancer.runtime.MarkedActions marked) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, observe, marked,
                dev.sluice.balancer.runtime.ServerConnections.DEFAULTS);
    }

    /** Options without passive health and transition actions. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter,
                         Optional<Duration> downinter, int rise, int fall, int checkPort,
                         Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                         dev.sluice.balancer.runtime.ServerConnections connections) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, dev.sluice.balancer.runtime.ServerObserve.NONE,
                dev.sluice.balancer.runtime.MarkedActions.NONE, connections);
    }

    /** Options whose health transitions leave open connections alone. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter,
                         Optional<Duration> downinter, int rise, int fall, int checkPort,
                         Optional<String> checkAddr, Optional<String> cookie, Optional<Duration> slowstart,
                         dev.sluice.balancer.runtime.ServerObserve observe) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, observe, dev.sluice.balancer.runtime.MarkedActions.NONE);
    }

    public static final int MAX_WEIGHT = 256;
    public static final int DEFAULT_WEIGHT = 1;
    public static final Duration DEFAULT_INTER = Duration.ofSeconds(2);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    public static final ServerOptions DEFAULTS = new ServerOptions(DEFAULT_WEIGHT, 0, 0, 0, false, false, false,
            DEFAULT_INTER, Optional.empty(), Optional.empty(), DEFAULT_RISE, DEFAULT_FALL, 0, Optional.empty(),
            Optional.empty(), Optional.empty(), dev.sluice.balancer.runtime.ServerConnections.DEFAULTS);

    /** Options with HAProxy's defaults for PROXY headers and connection pooling. */
    public ServerOptions(int weight, int maxconn, int maxqueue, int minconn, boolean disabled, boolean backup,
                         boolean check, Duration inter, Optional<Duration> fastinter, Optional<Duration> downinter,
                         int rise, int fall, int checkPort, Optional<String> checkAddr, Optional<String> cookie,
                         Optional<Duration> slowstart) {
        this(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter, downinter, rise, fall,
                checkPort, checkAddr, cookie, slowstart, dev.sluice.balancer.runtime.ServerConnections.DEFAULTS);
    }

    public ServerOptions {
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0.." + MAX_WEIGHT + ")");
        }
        if (maxconn < 0 || maxqueue < 0 || minconn < 0) {
            throw new IllegalArgumentException("maxconn/maxqueue/minconn: negative (expected: >= 0)");
        }
        Objects.requireNonNull(inter, "inter");
        Objects.requireNonNull(fastinter, "fastinter");
        Objects.requireNonNull(downinter, "downinter");
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise/fall: " + rise + "/" + fall + " (expected: >= 1)");
        }
        if (checkPort < 0 || checkPort > 65_535) {
            throw new IllegalArgumentException("port: " + checkPort + " (expected: 0..65535)");
        }
        Objects.requireNonNull(checkAddr, "checkAddr");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(slowstart, "slowstart");
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(marked, "marked");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(source, "source");
    }

    public ServerOptions withResolution(dev.sluice.balancer.runtime.ServerResolution newResolution) {
        return new ServerOptions(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter,
                downinter, rise, fall, checkPort, checkAddr, cookie, slowstart, observe, marked, connections,
                newResolution, sources, tls, source);
    }

    /** The same options with {@code newSource} (a backend's {@code source} for a server without its own). */
    public ServerOptions withSource(dev.sluice.balancer.runtime.SourceAddress newSource) {
        return new ServerOptions(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter,
                downinter, rise, fall, checkPort, checkAddr, cookie, slowstart, observe, marked, connections,
                resolution, sources, tls, newSource);
    }
}
