package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.LogTarget;
import dev.sluice.balancer.log.AccessLogPlan;
import dev.sluice.balancer.log.HeaderCapture;
import dev.sluice.balancer.log.LogSink;
import dev.sluice.balancer.log.LogStyle;
import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.ConnectionMode;
import dev.sluice.balancer.config.model.Endpoint;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.ServerOptions;
import dev.sluice.balancer.config.model.TimeoutKind;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.GlobalPlan;
import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.runtime.UseBackendRule;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a checked configuration into the engine's {@link RuntimePlan}. Settings the model stores
 * for later issues but the engine does not apply yet are listed as WARNINGs, so that nobody
 * believes they took effect.
 */
public final class Compiler {

    /** The plan and the warnings about stored settings that the engine does not apply yet. */
    public record Compilation(RuntimePlan plan, List<Diagnostic> warnings) {
        public Compilation {
            java.util.Objects.requireNonNull(plan, "plan");
            warnings = List.copyOf(warnings);
        }
    }

    private final Diagnostics diagnostics = new Diagnostics();

    private Compiler() {
    }

    public static Compilation compile(Config config) {
        Compiler compiler = new Compiler();
        RuntimePlan plan = compiler.plan(config);
        return new Compilation(plan, compiler.diagnostics.list());
    }

    private RuntimePlan plan(Config config) {
        GlobalPlan global = new GlobalPlan(config.global().maxconn(), config.global().nbthread(),
                config.global().bufsize());
        List<FrontendPlan> frontends = new ArrayList<>();
        List<BackendPlan> backends = new ArrayList<>();
        for (Proxy proxy : config.proxies()) {
            warnNotApplied(proxy);
            if (proxy.isFrontend() && !proxy.binds().isEmpty()) {
                frontends.add(frontend(proxy, config));
            }
            if (proxy.isBackend()) {
                backends.add(backend(proxy));
            }
        }
        return new RuntimePlan(global, frontends, backends);
    }

    private FrontendPlan frontend(Proxy proxy, Config config) {
        List<BindPlan> binds = new ArrayList<>();
        for (Bind bind : proxy.binds()) {
            if (bind.proto().isPresent() && !bind.proto().get().equals("h1")) {
                diagnostics.warning(bind.location(), "'proto " + bind.proto().get() + "' is stored but not applied "
                        + "yet: the listener speaks HTTP/1.1");
            }
            for (Endpoint endpoint : bind.endpoints()) {
                switch (endpoint) {
                    case Endpoint.Inet inet -> {
                        // A port range is one listener per port, as in HAProxy.
                        for (int port = inet.portLow(); port <= inet.portHigh(); port++) {
                            binds.add(new BindPlan(new InetSocketAddress(inet.address(), port), bind.acceptProxy(),
                                    bind.maxconn(), bind.name().orElse(null)));
                        }
                    }
                    case Endpoint.Unix unix -> binds.add(new BindPlan(UnixDomainSocketAddress.of(unix.path()),
                            bind.acceptProxy(), bind.maxconn(), bind.name().orElse(null)));
                }
            }
        }
        // A listen section's own servers serve what no rule sends elsewhere.
        String defaultBackend = proxy.defaultBackend().map(ref -> ref.backend())
                .orElse(proxy.isBackend() ? proxy.name() : null);
        List<UseBackendRule> rules = proxy.useBackends().stream()
                .map(ref -> new UseBackendRule(ref.backend(), config.condition(ref))).toList();
        return new FrontendPlan(proxy.name(), mode(proxy), binds, proxy.maxconn(), defaultBackend, rules,
                forwardFor(proxy), timeouts(proxy), errorfiles(proxy), accessLog(proxy, config));
    }

    /** The frontend's log targets ({@code log global} stands for the global ones) and line format. */
    private AccessLogPlan accessLog(Proxy proxy, Config config) {
        List<LogSink> sinks = new ArrayList<>();
        for (LogTarget target : proxy.logs()) {
            if (target.isGlobal()) {
                for (LogTarget global : config.global().logs()) {
                    sinks.add(LogSink.parse(global.target(), global.args()));
                }
            } else {
                sinks.add(LogSink.parse(target.target(), target.args()));
            }
        }
        LogStyle style = switch (proxy.options().logFormat()) {
            case DEFAULT -> LogStyle.NONE;
            case TCP -> LogStyle.TCP;
            case HTTP -> LogStyle.HTTP;
            case HTTP_CLF -> LogStyle.HTTP_CLF;
        };
        if (proxy.mode() == dev.sluice.balancer.config.model.Mode.TCP
                && (style == LogStyle.HTTP || style == LogStyle.HTTP_CLF)) {
            diagnostics.warning(proxy.location(), proxy.describe() + ": 'option httplog' not usable with "
                    + "mode tcp; falling back to 'option tcplog', as HAProxy does");
            style = LogStyle.TCP;
        }
        if (style == LogStyle.NONE && !sinks.isEmpty()) {
            diagnostics.warning(proxy.location(), proxy.describe() + ": 'log' without 'option httplog' or "
                    + "'option tcplog': HAProxy's minimal connection line is not written");
        }
        var logging = proxy.logging();
        return new AccessLogPlan(style, sinks, proxy.options().dontLogNull(), logging.separateErrors(),
                config.global().logTag(),
                logging.requestCaptures().stream().map(c -> new HeaderCapture(c.header(), c.length())).toList(),
                logging.responseCaptures().stream().map(c -> new HeaderCapture(c.header(), c.length())).toList());
    }

    private BackendPlan backend(Proxy proxy) {
        List<ServerPlan> servers = new ArrayList<>();
        for (Server server : proxy.servers()) {
            ServerOptions options = server.options();
            servers.add(new ServerPlan(server.name(),
                    new InetSocketAddress(server.address().address(), server.address().port()), options.weight(),
                    options.maxconn(), options.disabled(), options.backup(), server.id()));
        }
        return new BackendPlan(proxy.name(), mode(proxy), servers, timeouts(proxy), proxy.retries(),
                proxy.options().redispatch(), forwardFor(proxy), errorfiles(proxy), balance(proxy));
    }

    /** As HAProxy: an algorithm that hashes part of an HTTP request becomes round robin in mode tcp. */
    private dev.sluice.balancer.lb.Balance balance(Proxy proxy) {
        dev.sluice.balancer.lb.Balance balance = proxy.balance().settings();
        boolean layer7 = switch (balance.algorithm()) {
            case dev.sluice.balancer.lb.Balance.Uri u -> true;
            case dev.sluice.balancer.lb.Balance.UrlParam p -> true;
            case dev.sluice.balancer.lb.Balance.Header h -> true;
            case dev.sluice.balancer.lb.Balance.Hash h -> true;
            default -> false;
        };
        if (!layer7 || proxy.mode() != dev.sluice.balancer.config.model.Mode.TCP) {
            return balance;
        }
        SourceLocation where = proxy.balance().location() != null ? proxy.balance().location() : proxy.location();
        diagnostics.warning(where, proxy.describe() + ": layer 7 hash not possible in mode tcp (needs 'mode http'); "
                + "falling back to round robin, as HAProxy does");
        return new dev.sluice.balancer.lb.Balance(new dev.sluice.balancer.lb.Balance.RoundRobin(), balance.hashType(),
                balance.hashBalanceFactor(), balance.allBackups());
    }

    private static Mode mode(Proxy proxy) {
        return switch (proxy.mode()) {
            case HTTP -> Mode.HTTP;
            case TCP -> Mode.TCP;
        };
    }

    private static ForwardFor forwardFor(Proxy proxy) {
        return proxy.options().forwardFor()
                .map(f -> new ForwardFor(true, f.except().map(n -> new IpNetwork(n.address(), n.prefixLength()))
                        .orElse(null), f.header(), f.ifNone()))
                .orElse(ForwardFor.DISABLED);
    }

    private static Timeouts timeouts(Proxy proxy) {
        var t = proxy.timeouts();
        return new Timeouts(t.orZero(TimeoutKind.CONNECT), t.orZero(TimeoutKind.CLIENT), t.orZero(TimeoutKind.SERVER),
                t.orZero(TimeoutKind.HTTP_REQUEST), t.orZero(TimeoutKind.HTTP_KEEP_ALIVE), t.orZero(TimeoutKind.QUEUE),
                t.orZero(TimeoutKind.TUNNEL), t.orZero(TimeoutKind.CLIENT_HS));
    }

    private static Map<Integer, byte[]> errorfiles(Proxy proxy) {
        Map<Integer, byte[]> files = new LinkedHashMap<>();
        for (ErrorFile file : proxy.errorFiles().values()) {
            files.put(file.status(), file.response());
        }
        return files;
    }

    /** One warning per proxy and kind of setting that is stored for later issues but not applied today. */
    private void warnNotApplied(Proxy proxy) {
        if (proxy.options().connectionMode() != ConnectionMode.KEEP_ALIVE) {
            diagnostics.warning(proxy.location(), proxy.describe() + ": 'option "
                    + proxy.options().connectionMode().option() + "' is stored but not applied yet: connections "
                    + "are kept alive");
        }
        for (TimeoutKind kind : List.of(TimeoutKind.CLIENT_FIN, TimeoutKind.SERVER_FIN, TimeoutKind.CHECK)) {
            boolean read = proxy.isFrontend() && kind.frontendSide() || proxy.isBackend() && kind.backendSide();
            if (read && proxy.timeouts().get(kind).isPresent()) {
                diagnostics.warning(proxy.location(), proxy.describe() + ": 'timeout " + kind.keyword()
                        + "' is stored but not applied yet");
            }
        }
        for (Server server : proxy.servers()) {
            List<String> stored = storedServerSettings(server.options());
            if (!stored.isEmpty()) {
                diagnostics.warning(server.location(), "server " + proxy.name() + "/" + server.name() + ": "
                        + String.join(", ", stored) + " stored but not applied yet (the backends issue adds "
                        + "health checks, queues and persistence)");
            }
        }
    }

    private static List<String> storedServerSettings(ServerOptions options) {
        List<String> stored = new ArrayList<>();
        if (options.check()) {
            stored.add("'check' (the server is always considered up)");
        }
        if (options.maxqueue() != 0) {
            stored.add("'maxqueue'");
        }
        if (options.minconn() != 0) {
            stored.add("'minconn'");
        }
        options.cookie().ifPresent(cookie -> stored.add("'cookie'"));
        options.slowstart().ifPresent(slowstart -> stored.add("'slowstart'"));
        return stored;
    }
}
