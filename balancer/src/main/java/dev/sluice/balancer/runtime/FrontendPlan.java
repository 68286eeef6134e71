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
 * @param visibility     the stats page and {@code use-service} rules
 * @param tcpRules       {@code tcp-request connection|session|content} rules and {@code inspect-delay}
 * @param rules          {@code http-request}/{@code redirect}/{@code http-response} rules and {@code timeout tarpit}
 * @param accessLog      what the frontend logs and where ({@code log}, {@code option httplog/tcplog})
 * @param tuning         monitor-uri, originalto, client TCP keep-alive, http-buffer-request
 * @param extras         http-error replies, nolinger and other small per-proxy settings
 */
public record FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn,
                           String defaultBackend, List<UseBackendRule> useBackends,
                           ForwardFor forwardFor, Timeouts timeouts, Map<Integer, byte[]> errorfiles,
                           Visibility visibility, dev.sluice.balancer.stick.TcpRules tcpRules,
                           dev.sluice.balancer.rules.HttpRules rules, AccessLogPlan accessLog,
                           HttpConnectionMode connectionMode, ProxyTuning tuning, ProxyExtras extras) {

    /** A frontend without {@link ProxyExtras} (http-error replies, nolinger). */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, Visibility visibility,
                        dev.sluice.balancer.stick.TcpRules tcpRules, dev.sluice.balancer.rules.HttpRules rules,
                        AccessLogPlan accessLog, HttpConnectionMode connectionMode, ProxyTuning tuning) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles, visibility,
                tcpRules, rules, accessLog, connectionMode, tuning, ProxyExtras.NONE);
    }

    /** A frontend without {@link ProxyTuning} settings. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, Visibility visibility,
                        dev.sluice.balancer.stick.TcpRules tcpRules, dev.sluice.balancer.rules.HttpRules rules,
                        AccessLogPlan accessLog, HttpConnectionMode connectionMode) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles, visibility,
                tcpRules, rules, accessLog, connectionMode, ProxyTuning.NONE);
    }

    /** A frontend in HAProxy's default {@code option http-keep-alive}. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, Visibility visibility,
                        dev.sluice.balancer.stick.TcpRules tcpRules, dev.sluice.balancer.rules.HttpRules rules,
                        AccessLogPlan accessLog) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles, visibility,
                tcpRules, rules, accessLog, HttpConnectionMode.KEEP_ALIVE);
    }

    /** A frontend without stats, {@code use-service}, tcp-request or HTTP rules, that logs nothing. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles,
                Visibility.NONE, dev.sluice.balancer.stick.TcpRules.NONE, dev.sluice.balancer.rules.HttpRules.NONE, AccessLogPlan.NONE);
    }

    /** A frontend with only a stats page or {@code use-service} rules. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, Visibility visibility) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles,
                visibility, dev.sluice.balancer.stick.TcpRules.NONE, dev.sluice.balancer.rules.HttpRules.NONE, AccessLogPlan.NONE);
    }

    /** A frontend with only tcp-request rules. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, dev.sluice.balancer.stick.TcpRules tcpRules) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles,
                Visibility.NONE, tcpRules, dev.sluice.balancer.rules.HttpRules.NONE, AccessLogPlan.NONE);
    }

    /** A frontend with only HTTP rules. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, dev.sluice.balancer.rules.HttpRules rules) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles,
                Visibility.NONE, dev.sluice.balancer.stick.TcpRules.NONE, rules, AccessLogPlan.NONE);
    }

    /** A frontend with only an access log. */
    public FrontendPlan(String name, Mode mode, List<BindPlan> binds, int maxconn, String defaultBackend,
                        List<UseBackendRule> useBackends, ForwardFor forwardFor, Timeouts timeouts,
                        Map<Integer, byte[]> errorfiles, AccessLogPlan accessLog) {
        this(name, mode, binds, maxconn, defaultBackend, useBackends, forwardFor, timeouts, errorfiles,
                Visibility.NONE, dev.sluice.balancer.stick.TcpRules.NONE, dev.sluice.balancer.rules.HttpRules.NONE, accessLog);
    }

    public FrontendPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        binds = List.copyOf(binds);
        useBackends = List.copyOf(useBackends);
        Objects.requireNonNull(forwardFor, "forwardFor");
        Objects.requireNonNull(timeouts, "timeouts");
        errorfiles = Map.copyOf(errorfiles);
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(tcpRules, "tcpRules");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(connectionMode, "connectionMode");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(extras, "extras");
        if (maxconn < 0) {
            throw new IllegalArgumentException("frontend " + name + ": maxconn " + maxconn + " (expected: >= 0)");
        }
        if (binds.isEmpty()) {
            throw new IllegalArgumentException("frontend " + name + ": no bind (expected: at least one)");
        }
    }
}
