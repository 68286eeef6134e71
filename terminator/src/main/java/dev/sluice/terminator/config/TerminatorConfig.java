package dev.sluice.terminator.config;

import dev.sluice.common.net.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The validated configuration of a terminator process, built by {@code cli.ConfigBuilder} from
 * hitch.conf and the command line. Durations of zero mean "no limit" where noted.
 *
 * @param idleTimeout  close a relayed connection after this long without a byte either way; zero: never
 * @param drainTimeout on SIGTERM, how long open connections may finish before the process exits
 * @param logLevel     hitch's scale: 0 silent, 1 errors, 2 info
 * @param metrics      where to serve Prometheus text metrics; null: nowhere
 */
public record TerminatorConfig(
        List<FrontendConfig> frontends,
        Endpoint backend,
        int workers,
        int backlog,
        Duration keepalive,
        ProxyMode proxyMode,
        boolean proxyTlv,
        boolean proxyAuthority,
        Duration backendConnectTimeout,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration drainTimeout,
        int receiveBufferSize,
        int sendBufferSize,
        String user,
        String group,
        int logLevel,
        Path logFile,
        Path pidFile,
        Endpoint metrics) {

    public TerminatorConfig {
        frontends = List.copyOf(frontends);
        if (frontends.isEmpty()) {
            throw new IllegalArgumentException("frontends: empty (expected: at least one)");
        }
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(proxyMode, "proxyMode");
        requirePositive("workers", workers);
        requirePositive("backendConnectTimeout", backendConnectTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
        requireNotNegative("idleTimeout", idleTimeout);
        requireNotNegative("drainTimeout", drainTimeout);
        requireNotNegative("keepalive", keepalive);
        if (logLevel < 0 || logLevel > 2) {
            throw new IllegalArgumentException("logLevel: " + logLevel + " (expected: 0, 1 or 2)");
        }
    }

    /**
     * The configuration of worker {@code index} of a fleet: each worker serves its own metrics on
     * the metrics port plus its index (a metrics listener is per process, so two workers cannot
     * share one port and stay honest about whose counters they show). The frontends are shared
     * through SO_REUSEPORT and stay as they are. The pid file is the supervisor's (it forwards
     * HUP and TERM to every worker), so a worker writes none.
     */
    public TerminatorConfig forWorker(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("worker index: " + index + " (expected: >= 0)");
        }
        Endpoint workerMetrics = metrics;
        if (metrics instanceof Endpoint.Inet inet) {
            workerMetrics = new Endpoint.Inet(inet.host(), inet.port() + index);
        }
        return new TerminatorConfig(frontends, backend, workers, backlog, keepalive, proxyMode, proxyTlv, proxyAuthority,
                backendConnectTimeout, handshakeTimeout, idleTimeout, drainTimeout, receiveBufferSize, sendBufferSize,
                user, group, logLevel, logFile, null, workerMetrics);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
    }
}
