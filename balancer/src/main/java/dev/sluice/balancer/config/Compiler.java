package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.LogTarget;
import dev.sluice.balancer.log.AccessLogPlan;
import dev.sluice.balancer.log.HeaderCapture;
import dev.sluice.balancer.log.LogSink;
import dev.sluice.balancer.log.LogStyle;
import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.Endpoint;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.ServerOptions;
import dev.sluice.balancer.config.model.TimeoutKind;
import dev.sluice.balancer.runtime.BackendLoad;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.CookiePlan;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.GlobalPlan;
import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.runtime.UseBackendRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                config.global().bufsize(), config.global().h2(),
                new dev.sluice.balancer.runtime.ProcessPlan(config.global().process().hardStopAfter(),
                        config.global().process().spreadChecks(), config.global().process().node(),
                        config.global().process().description(), config.global().process().cpuMap()),
                config.global().tuning());
        List<FrontendPlan> frontends = new ArrayList<>();
        List<BackendPlan> backends = new ArrayList<>();
        for (Proxy proxy : config.proxies()) {
            warnNotApplied(proxy);
            // One object for both halves of a listen section, so its rules run once per request.
            dev.sluice.balancer.rules.HttpRules rules = RulePlans.of(proxy, config);
            // A disabled frontend does not listen (HAProxy 2.6: connection refused).
            if (proxy.isFrontend() && !proxy.binds().isEmpty() && !proxy.extras().disabled()) {
                frontends.add(frontend(proxy, config, rules));
            }
            if (proxy.isBackend()) {
                backends.add(backend(proxy, config, rules));
            }
        }
        List<dev.sluice.balancer.stick.TableSpec> tables = config.proxies().stream()
                .flatMap(p -> p.stick().table().stream()).map(t -> withServerId(t, config)).toList();
        return new RuntimePlan(global, frontends, backends, StatsCompiler.plan(config), tables,
                config.peers().plan(), config.rules().patterns(), config.rules().caches());
    }

    private FrontendPlan frontend(Proxy proxy, Config config, dev.sluice.balancer.rules.HttpRules httpRules) {
        List<BindPlan> binds = new ArrayList<>();
        for (Bind bind : proxy.binds()) {
            boolean h2c = bind.proto().isPresent() && bind.proto().get().equals("h2");
            for (Endpoint endpoint : bind.endpoints()) {
                switch (endpoint) {
                    case Endpoint.Inet inet -> {
                        // A port range is one listener per port, as in HAProxy.
                        for (int port = inet.portLow(); port <= inet.portHigh(); port++) {
                            binds.add(new BindPlan(new InetSocketAddress(inet.address(), port), bind.acceptProxy(),
                                    bind.maxconn(), bind.name().orElse(null), h2c, backlog(bind.socket(), proxy)));
                        }
                    }
                    case Endpoint.Unix unix -> binds.add(new BindPlan(UnixDomainSocketAddress.of(unix.path()),
                            bind.acceptProxy(), bind.maxconn(), bind.name().orElse(null), h2c,
                            backlog(bind.socket(), proxy)));
                }
            }
        }
        // A listen section's own servers serve what no rule sends elsewhere.
        String defaultBackend = proxy.defaultBackend().map(ref -> ref.backend())
                .orElse(proxy.isBackend() ? proxy.name() : null);
        List<UseBackendRule> rules = proxy.useBackends().stream()
                .map(ref -> new UseBackendRule(ref.backend(), config.condition(ref), config.backendName(ref))).toList();
        return new FrontendPlan(proxy.name(), mode(proxy), binds, proxy.maxconn(), defaultBackend, rules,
                forwardFor(proxy), timeouts(proxy), errorfiles(proxy), StatsCompiler.visibility(proxy, config),
                tcpRules(proxy, config), httpRules, accessLog(proxy, config), connectionMode(proxy),
                TuningPlans.of(proxy, config), proxy.extras());
    }

    /** The proxy's {@code log-tag}, else the global one. */
    private static String logTag(Proxy proxy, Config config) {
        return proxy.extras().logTag() != null ? proxy.extras().logTag() : config.global().logTag();
    }

    /** A bind's socket settings with the proxy's {@code backlog} where the bind sets none. */
    private static dev.sluice.balancer.runtime.BindSocket backlog(dev.sluice.balancer.runtime.BindSocket socket,
                                                                  Proxy proxy) {
        int backlog = proxy.extras().backlog();
        if (socket.backlog() > 0 || backlog == 0) {
            return socket;
        }
        return new dev.sluice.balancer.runtime.BindSocket(backlog, socket.deferAccept(), socket.fastOpen(),
                socket.transparent(), socket.userTimeoutMillis(), socket.unixMode(), socket.unixUser(),
                socket.unixGroup());
    }

    /** The frontend's log targets ({@code log global} stands for the global ones) and line format. */
    private AccessLogPlan accessLog(Proxy proxy, Config config) {
        List<LogSink> sinks = sinks(proxy, config);
        LogStyle style = switch (proxy.options().logFormat()) {
            case DEFAULT -> LogStyle.NONE;
            case TCP -> LogStyle.TCP;
            case HTTP -> LogStyle.HTTP;
            case HTTP_CLF -> LogStyle.HTTP_CLF;
            case CUSTOM -> LogStyle.CUSTOM;
        };
        dev.sluice.balancer.log.LineFormat format = style == LogStyle.CUSTOM ? config.logFormat(proxy) : null;
        if (style == LogStyle.CUSTOM && format == null) {
            throw new IllegalStateException(proxy.describe() + ": log-format not compiled");
        }
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
                logTag(proxy, config),
                logging.requestCaptures().stream().map(c -> new HeaderCapture(c.header(), c.length())).toList(),
                logging.responseCaptures().stream().map(c -> new HeaderCapture(c.header(), c.length())).toList(),
                format, config.logExtras(proxy),
                logging.cookie() == null ? null : new HeaderCapture(logging.cookie().header(), logging.cookie().length()));
    }

    /** The proxy's {@code log} targets, {@code log global} standing for the global ones. */
    private static List<LogSink> sinks(Proxy proxy, Config config) {
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
        String hostname = config.global().extras().logHostname(); // log-send-hostname
        return hostname == null ? sinks : sinks.stream().map(s -> s.withHostname(hostname)).toList();
    }

    private BackendPlan backend(Proxy proxy, Config config, dev.sluice.balancer.rules.HttpRules httpRules) {
        List<ServerPlan> servers = new ArrayList<>();
        for (Server server : proxy.servers()) {
            ServerOptions options = server.options();
            if (options.observe().enabled() && !options.check()) {
                diagnostics.warning(server.location(), "'server " + proxy.name() + "/" + server.name() + "': 'observe' "
                        + "has no effect without 'check' (HAProxy ignores it too)");
            }
            ServerLimits limits = ServerLimits.of(options.minconn(), options.maxconn());
            servers.add(new ServerPlan(server.name(),
                    new InetSocketAddress(server.address().address(), server.address().port()), options.weight(),
                    // A disabled backend answers 503 like one whose servers are all in maintenance.
                    limits.maxconn(), options.disabled() || proxy.extras().disabled(), options.backup(), server.id(),
                    health(proxy, options),
                    new ServerPersistence(options.cookie().orElse(null), options.maxqueue()), limits.minconn(),
                    options.connections(), options.resolution(), options.tls(), options.source()));
        }
        dev.sluice.balancer.lb.Balance balance = balance(proxy);
        BackendLoad load = new BackendLoad(balance.algorithm() instanceof dev.sluice.balancer.lb.Balance.Hash h
                ? hashExpression(h, proxy, config) : null, ServerLimits.fullconn(proxy, config));
        return new BackendPlan(proxy.name(), mode(proxy), servers, timeouts(proxy), proxy.retries(),
                proxy.options().redispatch(), forwardFor(proxy), errorfiles(proxy), balance,
                StatsCompiler.page(proxy, config), stickRules(proxy, config), httpRules,
                proxy.mode() == dev.sluice.balancer.config.model.Mode.HTTP ? proxy.cookie() : CookiePlan.NONE, load,
                connectionMode(proxy), new dev.sluice.balancer.log.BackendLogPlan(sinks(proxy, config),
                logTag(proxy, config), proxy.logging().extras().logHealthChecks()), TuningPlans.of(proxy, config),
                proxy.options().reuse(), proxy.extras(), backendTcpRules(proxy, config), dispatch(proxy, config));
    }

    /** retry-on, option redispatch N, option persist and the compiled use-server / *-persist rules. */
    private static dev.sluice.balancer.dispatch.DispatchPlan dispatch(Proxy proxy, Config config) {
        var lines = proxy.dispatch();
        List<dev.sluice.balancer.dispatch.UseServerRule> useServers = new ArrayList<>();
        List<dev.sluice.balancer.dispatch.DispatchPlan.PersistRule> persistRules = new ArrayList<>();
        for (var line : lines.rules()) {
            var condition = config.conditions().get(line.location());
            if (condition == null) {
                continue; // refused with an alert at its line (config.check.DispatchRules)
            }
            switch (line.kind()) {
                case USE_SERVER -> useServers.add(new dev.sluice.balancer.dispatch.UseServerRule(line.server(),
                        condition));
                case FORCE_PERSIST, IGNORE_PERSIST -> persistRules.add(new dev.sluice.balancer.dispatch.DispatchPlan
                        .PersistRule(line.kind() == dev.sluice.balancer.config.model.DispatchLines.Kind.FORCE_PERSIST,
                        condition));
            }
        }
        return new dev.sluice.balancer.dispatch.DispatchPlan(lines.retryOn(), lines.redispatchAfter(), lines.persist(),
                useServers, persistRules);
    }

    /** A backend's {@code tcp-request content} rules (a listen's connection and session rules are its frontend's). */
    private static dev.sluice.balancer.stick.TcpRules backendTcpRules(Proxy proxy, Config config) {
        var all = tcpRules(proxy, config);
        var response = tcpResponseRules(proxy, config);
        return all.content().isEmpty() && response.isEmpty() ? dev.sluice.balancer.stick.TcpRules.NONE
                : new dev.sluice.balancer.stick.TcpRules(List.of(), List.of(), all.content(), all.inspectDelay(),
                response);
    }

    /** A backend's {@code tcp-response content} rules with their compiled conditions. */
    private static dev.sluice.balancer.stick.TcpResponseRules tcpResponseRules(Proxy proxy, Config config) {
        var lines = proxy.stick().tcpResponses();
        if (lines.rules().isEmpty()) {
            return dev.sluice.balancer.stick.TcpResponseRules.NONE;
        }
        List<dev.sluice.balancer.stick.TcpResponseRules.Rule> rules = new ArrayList<>();
        for (var rule : lines.rules()) {
            var condition = rule.condition().isPresent() ? config.conditions().get(rule.location()) : null;
            rules.add(new dev.sluice.balancer.stick.TcpResponseRules.Rule(rule.action(), rule.value(),
                    rule.variable(), condition, rule.location().toString()));
        }
        return new dev.sluice.balancer.stick.TcpResponseRules(rules, lines.inspectDelay());
    }

    /** The expression of {@code balance hash}, already checked by the parser at its line. */
    private static dev.sluice.balancer.acl.SampleExpression hashExpression(dev.sluice.balancer.lb.Balance.Hash hash,
                                                                           Proxy proxy, Config config) {
        return new dev.sluice.balancer.acl.AclCompiler(config.global().extras().baseDirectory(),
                dev.sluice.balancer.acl.ProxyCatalog.ANY).sampleExpression(hash.expression(), proxy.name());
    }

    /** A table that stick rules use stores server_id, as HAProxy adds it on its own. */
    private static dev.sluice.balancer.stick.TableSpec withServerId(dev.sluice.balancer.stick.TableSpec table,
                                                                    Config config) {
        boolean used = config.proxies().stream().anyMatch(p -> p.stick().stickRules().stream()
                .anyMatch(r -> r.table().orElse(p.name()).equals(table.name())));
        if (!used || table.stores(dev.sluice.balancer.stick.StickData.SERVER_ID)) {
            return table;
        }
        Map<dev.sluice.balancer.stick.StickData, Long> store = new java.util.EnumMap<>(
                dev.sluice.balancer.stick.StickData.class);
        store.putAll(table.store());
        store.put(dev.sluice.balancer.stick.StickData.SERVER_ID, 0L);
        return new dev.sluice.balancer.stick.TableSpec(table.name(), table.type(), table.keyLength(), table.size(),
                table.expire(), table.nopurge(), store, table.peers());
    }

    private static dev.sluice.balancer.stick.StickPersistence stickRules(Proxy proxy, Config config) {
        if (proxy.stick().stickRules().isEmpty()) {
            return dev.sluice.balancer.stick.StickPersistence.NONE;
        }
        List<dev.sluice.balancer.stick.StickPersistence.Rule> rules = new ArrayList<>();
        for (var rule : proxy.stick().stickRules()) {
            var condition = rule.condition().isPresent() ? config.conditions().get(rule.location()) : null;
            rules.add(new dev.sluice.balancer.stick.StickPersistence.Rule(rule.matches(), rule.stores(), rule.key(),
                    rule.table().orElse(proxy.name()), condition));
        }
        int[] explicit = proxy.servers().stream().mapToInt(Server::id).toArray();
        return new dev.sluice.balancer.stick.StickPersistence(rules,
                dev.sluice.balancer.lb.ServerIds.assign(explicit));
    }

    private static dev.sluice.balancer.stick.TcpRules tcpRules(Proxy proxy, Config config) {
        List<dev.sluice.balancer.stick.TcpRule> rules = new ArrayList<>();
        for (var rule : proxy.stick().tcpRequests()) {
            var condition = rule.condition().isPresent() ? config.conditions().get(rule.location()) : null;
            rules.add(new dev.sluice.balancer.stick.TcpRule(rule.phase(), rule.action(), rule.slot(), rule.key(),
                    rule.action() == dev.sluice.balancer.stick.TcpRule.Action.TRACK ? rule.table().orElse(proxy.name())
                            : null, condition, rule.location().toString(), rule.variable()));
        }
        return dev.sluice.balancer.stick.TcpRules.of(rules, proxy.stick().inspectDelay());
    }

    /**
     * Health-check settings as HAProxy applies them: without {@code timeout check} a check has {@code inter}
     * for the connect and as much for the answer; with it, the connect gets {@code min(timeout connect, inter)}
     * and the answer {@code timeout check}.
     */
    private static ServerHealth health(Proxy proxy, ServerOptions options) {
        Duration inter = options.inter();
        Optional<Duration> check = proxy.timeouts().get(TimeoutKind.CHECK);
        Duration connect = inter;
        if (check.isPresent()) {
            Duration configured = proxy.timeouts().get(TimeoutKind.CONNECT).orElse(inter);
            connect = configured.compareTo(inter) < 0 && !configured.isZero() ? configured : inter;
        }
        Duration read = check.filter(d -> !d.isZero()).orElse(inter);
        InetAddress address = options.checkAddr().map(Compiler::address).orElse(null);
        return new ServerHealth(options.check(), inter, options.fastinter().orElse(inter),
                options.downinter().orElse(inter), options.rise(), options.fall(), options.checkPort(), address,
                connect, read, proxy.httpCheck().orElse(null), options.slowstart().orElse(Duration.ZERO),
                options.observe(), options.marked(), proxy.tcpCheck().orElse(null), options.sources());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("check address '" + literal + "' is not an IP literal", e);
        }
    }

    /**
     * As HAProxy: an algorithm that hashes part of an HTTP request becomes round robin in mode tcp; {@code hash}
     * stays (its layer-4 fetches work, an HTTP fetch finds nothing at run time and round robin applies).
     */
    private dev.sluice.balancer.lb.Balance balance(Proxy proxy) {
        dev.sluice.balancer.lb.Balance balance = proxy.balance().settings();
        boolean layer7 = switch (balance.algorithm()) {
            case dev.sluice.balancer.lb.Balance.Uri u -> true;
            case dev.sluice.balancer.lb.Balance.UrlParam p -> true;
            case dev.sluice.balancer.lb.Balance.Header h -> true;
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
                t.orZero(TimeoutKind.TUNNEL), t.orZero(TimeoutKind.CLIENT_HS), t.orZero(TimeoutKind.CLIENT_FIN),
                t.orZero(TimeoutKind.SERVER_FIN));
    }

    private static Map<Integer, byte[]> errorfiles(Proxy proxy) {
        Map<Integer, byte[]> files = new LinkedHashMap<>();
        for (ErrorFile file : proxy.errorFiles().values()) {
            files.put(file.status(), file.response());
        }
        return files;
    }

    private static dev.sluice.balancer.runtime.HttpConnectionMode connectionMode(Proxy proxy) {
        return switch (proxy.options().connectionMode()) {
            case KEEP_ALIVE -> dev.sluice.balancer.runtime.HttpConnectionMode.KEEP_ALIVE;
            case SERVER_CLOSE -> dev.sluice.balancer.runtime.HttpConnectionMode.SERVER_CLOSE;
            case CLOSE -> dev.sluice.balancer.runtime.HttpConnectionMode.CLOSE;
        };
    }

    /** One warning per proxy and kind of setting that is stored for later issues but not applied today. */
    private void warnNotApplied(Proxy proxy) {
        if (proxy.isBackend() && proxy.cookie().enabled() && proxy.mode() == dev.sluice.balancer.config.model.Mode.TCP) {
            diagnostics.warning(proxy.location(), proxy.describe() + ": 'cookie' is ignored in mode tcp "
                    + "(persistence cookies need 'mode http'), as in HAProxy");
        }
    }
}
