package dev.sluice.balancer.runtime;

import dev.sluice.balancer.log.AccessLogPlan;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code frontend} (or the front half of a {@code listen}) ready to run.
 *
 * @param maxconn        connections at once on this frontend; 0 means only the global limit
 * @param defaultBackend {@code default_backend}, or {@code null}
 * @param useBackends    {@code use_backend} rules in file order; the first that matches wins
 * @param errorfiles     status code → a complete raw HTTP response (HAProxy's errorfile format)
 * @param accessLog      what the frontend logs and where ({@code log}, {@code option httplog/tcplog})
 */
public record FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn,
                           String defaultBackend, List<UseBackendRule> useBackends,
                           ForwardFor forwardFor, Timeouts timeouts, Map<Integer, byte[]> errorfiles,
                           AccessLogPlan accessLog) {

    /** A frontend that logs nothing. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn,
                        String defaultBackend, List<UseBackendRule> useBackends,
                        ForwardFor forwardFor, Timeouts timeouts, Map<Integer, byte[]> errorfiles) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles,
                AccessLogPlan.NONE);
    }

    public FrontendPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        binds = List.copyOf(binds);
        useBackends = List.copyOf(useBackends);
        Objects.requireNonNull(forwardFor, "forwardFor");
        Objects.requireNonNull(timeouts, "timeouts");
        errorfiles = Map.copyOf(errorfiles);
        Objects.requireNonNull(accessLog, "accessLog");
        if (maxconn < 0) {
            throw new IllegalArgumentException("frontend " + name + ": maxconn " + maxconn + " (expected: >= 0)");
        }
        if (binds.isEmpty()) {
            throw new IllegalArgumentException("frontend " + name + ": no bind (expected: at least one)");
        }
    }
}
