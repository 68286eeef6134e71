package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.runtime.CookiePlan;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code frontend}, {@code backend} or {@code listen} section with its defaults applied.
 * Fields of the side a proxy lacks keep their empty values (HAProxy warns and ignores them).
 *
 * @param maxconn       frontend connection limit, 0 when not set (the global limit applies)
 * @param defaultServer the {@code default-server} settings every server line started from
 * @param errorFiles    status code → errorfile
 * @param acls          {@code acl} lines in file order (never inherited from defaults)
 * @param stats         {@code stats} lines and {@code use-service} rules
 * @param stick         {@code stick-table} and {@code tcp-request} lines
 * @param httpCheck     {@code option httpchk} with its {@code http-check} rules; empty for TCP connect checks
 * @param rules         {@code http-request}, {@code http-response} and {@code redirect} lines, {@code timeout tarpit}
 * @param cookie        the {@code cookie} persistence line, {@link CookiePlan#NONE} when absent
 * @param logging       header captures, log-separate-errors and log-format
 * @param fullconn      {@code fullconn}, 0 when not set (see {@link dev.sluice.balancer.runtime.BackendLoad})
 * @param extras        http-error replies made per request, nolinger, http-send-name-header; the
 *                      errorfile-like directives ({@code errorfiles}, static {@code http-error})
 *                      are already resolved into {@code errorFiles}
 * @param tcpCheck      {@code option tcp-check} with its rules, or a protocol check ({@code option redis-check}, …)
 * @param dispatch      retry-on, option redispatch N, option persist, use-server, force-persist, ignore-persist
 */
public record Proxy(SourceLocation location, ProxyKind kind, String name, Mode mode, List<Bind> binds, int maxconn,
                    Optional<BackendRef> defaultBackend, List<BackendRef> useBackends, List<Server> servers,
                    ServerOptions defaultServer, Balance balance, Timeouts timeouts, ProxyOptions options,
                    int retries, Map<Integer, ErrorFile> errorFiles, List<LogTarget> logs,
                    List<AclLine> acls, StatsSettings stats, StickSettings stick,
                    Optional<dev.sluice.balancer.check.HttpProbe> httpCheck, HttpRuleLines rules, CookiePlan cookie,
                    LogSettings logging, int fullconn, dev.sluice.balancer.runtime.ProxyExtras extras,
                    Optional<dev.sluice.balancer.check.TcpCheck> tcpCheck, DispatchLines dispatch) {

    public static final int DEFAULT_RETRIES = 3;

    /** A proxy without retry-on, use-server, force-persist, ignore-persist or option persist. */
    public Proxy(SourceLocation location, ProxyKind kind, String name, Mode mode, List<Bind> binds, int maxconn,
                 Optional<BackendRef> defaultBackend, List<BackendRef> useBackends, List<Server> servers,
                 ServerOptions defaultServer, Balance balance, Timeouts timeouts, ProxyOptions options,
                 int retries, Map<Integer, ErrorFile> errorFiles, List<LogTarget> logs,
                 List<AclLine> acls, StatsSettings stats, StickSettings stick,
                 Optional<dev.sluice.balancer.check.HttpProbe> httpCheck, HttpRuleLines rules, CookiePlan cookie,
                 LogSettings logging, int fullconn, dev.sluice.balancer.runtime.ProxyExtras extras,
                 Optional<dev.sluice.balancer.check.TcpCheck> tcpCheck) {
        this(location, kind, name, mode, binds, maxconn, defaultBackend, useBackends, servers, defaultServer, balance,
                timeouts, options, retries, errorFiles, logs, acls, stats, stick, httpCheck, rules, cookie, logging,
                fullconn, extras, tcpCheck, DispatchLines.DEFAULTS);
    }

    /** A proxy without tcp-check. */
    public Proxy(SourceLocation location, ProxyKind kind, String name, Mode mode, List<Bind> binds, int maxconn,
                 Optional<BackendRef> defaultBackend, List<BackendRef> useBackends, List<Server> servers,
                 ServerOptions defaultServer, Balance balance, Timeouts timeouts, ProxyOptions options,
                 int retries, Map<Integer, ErrorFile> errorFiles, List<LogTarget> logs,
                 List<AclLine> acls, StatsSettings stats, StickSettings stick,
                 Optional<dev.sluice.balancer.check.HttpProbe> httpCheck, HttpRuleLines rules, CookiePlan cookie,
                 LogSettings logging, int fullconn, dev.sluice.balancer.runtime.ProxyExtras extras) {
        this(location, kind, name, mode, binds, maxconn, defaultBackend, useBackends, servers, defaultServer, balance,
                timeouts, options, retries, errorFiles, logs, acls, stats, stick, httpCheck, rules, cookie, logging,
                fullconn, extras, Optional.empty());
    }

    /** A proxy without http-error replies, nolinger or the other {@code ProxyExtras}, nor tcp-check. */
    public Proxy(SourceLocation location, ProxyKind kind, String name, Mode mode, List<Bind> binds, int maxconn,
                 Optional<BackendRef> defaultBackend, List<BackendRef> useBackends, List<Server> servers,
                 ServerOptions defaultServer, Balance balance, Timeouts timeouts, ProxyOptions options,
                 int retries, Map<Integer, ErrorFile> errorFiles, List<LogTarget> logs,
                 List<AclLine> acls, StatsSettings stats, StickSettings stick,
                 Optional<dev.sluice.balancer.check.HttpProbe> httpCheck, HttpRuleLines rules, CookiePlan cookie,
                 LogSettings logging, int fullconn) {
        this(location, kind, name, mode, binds, maxconn, defaultBackend, useBackends, servers, defaultServer, balance,
                timeouts, options, retries, errorFiles, logs, acls, stats, stick, httpCheck, rules, cookie, logging,
                fullconn, dev.sluice.balancer.runtime.ProxyExtras.NONE);
    }

    public Proxy {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        binds = List.copyOf(binds);
        if (maxconn < 0) {
            throw new IllegalArgumentException("maxconn: " + maxconn + " (expected: >= 0)");
        }
        Objects.requireNonNull(defaultBackend, "defaultBackend");
        useBackends = List.copyOf(useBackends);
        servers = List.copyOf(servers);
        Objects.requireNonNull(defaultServer, "defaultServer");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(options, "options");
        if (retries < 0) {
            throw new IllegalArgumentException("retries: " + retries + " (expected: >= 0)");
        }
        errorFiles = Map.copyOf(errorFiles);
        logs = List.copyOf(logs);
        acls = List.copyOf(acls);
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(stick, "stick");
        Objects.requireNonNull(httpCheck, "httpCheck");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(cookie, "cookie");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(tcpCheck, "tcpCheck");
        if (fullconn < 0) {
            throw new IllegalArgumentException("fullconn: " + fullconn + " (expected: >= 0)");
        }
        Objects.requireNonNull(extras, "extras");
        Objects.requireNonNull(dispatch, "dispatch");
    }

    public boolean isFrontend() {
        return kind.isFrontend();
    }

    public boolean isBackend() {
        return kind.isBackend();
    }

    /** How messages name this proxy: {@code backend 'app'}. */
    public String describe() {
        return kind.keyword() + " '" + name + "'";
    }
}
