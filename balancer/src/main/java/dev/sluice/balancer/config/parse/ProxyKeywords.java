package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.AclLine;
import dev.sluice.balancer.config.model.BackendRef;
import dev.sluice.balancer.config.model.Balance;
import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.config.model.LogSettings;
import dev.sluice.balancer.config.model.LogTarget;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.TimeoutKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The keywords of {@code defaults}, {@code frontend}, {@code backend} and {@code listen} sections. */
final class ProxyKeywords {

    /** HAProxy 2.6's algorithm names; {@code hdr(…)}, {@code random(…)} and {@code rdp-cookie(…)} take a suffix. */
    private static final Set<String> ALGORITHMS = Set.of("roundrobin", "static-rr", "leastconn", "first", "source",
            "uri", "url_param", "hdr", "random", "rdp-cookie", "hash");

    static final KeywordTable<ProxyDraft> TABLE = new KeywordTable<ProxyDraft>("proxy", Unsupported.PROXY, Removed.PROXY)
            .add("mode", 1, 1, Scope.ALL, ProxyKeywords::mode)
            .add("source", 1, Keyword.ANY, Scope.DEFAULTS_BACKEND, SourceKeywords::proxy)
            .add("bind", 1, Keyword.ANY, Scope.FRONTEND_ONLY,
                    (line, draft, diagnostics) -> draft.binds.add(BindKeywords.parse(line.location(), line.args(), diagnostics)))
            .add("maxconn", 1, 1, Scope.DEFAULTS_FRONTEND, (line, draft, diagnostics) ->
                    draft.maxconn = Units.integer(line.word(1), "'maxconn'", 0, Integer.MAX_VALUE))
            .add("default_backend", 1, 1, Scope.DEFAULTS_FRONTEND, (line, draft, diagnostics) ->
                    draft.defaultBackend = Optional.of(new BackendRef(line.location(), line.word(1), Optional.empty())))
            .add("use_backend", 1, Keyword.ANY, Scope.FRONTEND_ONLY, ProxyKeywords::useBackend)
            // Compiled after parsing, when every backend a fetch may name is known.
            .add("acl", 2, Keyword.ANY, Scope.FRONTEND_BACKEND,
                    (line, draft, diagnostics) -> draft.acls.add(new AclLine(line.location(), line.from(1))))
            .add(new Keyword<>("server", 1, 2, Keyword.ANY, Scope.BACKEND_ONLY, Keyword.Misplaced.ALERT,
                    ProxyKeywords::server))
            .add(new Keyword<>("server-template", 1, 3, Keyword.ANY, Scope.BACKEND_ONLY, Keyword.Misplaced.ALERT,
                    ProxyKeywords::serverTemplate))
            .add(new Keyword<>("default-server", 1, 1, Keyword.ANY, Scope.DEFAULTS_BACKEND, Keyword.Misplaced.ALERT,
                    ProxyKeywords::defaultServer))
            .add("balance", 1, Keyword.ANY, Scope.DEFAULTS_BACKEND, ProxyKeywords::balance)
            .add("hash-type", 1, 3, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) ->
                    draft.hashType = BalanceKeywords.hashType(line.args()))
            .add("hash-balance-factor", 1, 1, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) ->
                    draft.hashBalanceFactor = BalanceKeywords.hashBalanceFactor(line.word(1)))
            .add("cookie", 1, Keyword.ANY, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) ->
                    draft.cookie = CookieKeywords.parse(line, diagnostics))
            .add("timeout", 2, 2, Scope.ALL, ProxyKeywords::timeout)
            .add("option", 1, Keyword.ANY, Scope.ALL, OptionKeywords::apply)
            .add("no", 1, Keyword.ANY, Scope.ALL, ProxyKeywords::no)
            .add("http-check", 1, Keyword.ANY, Scope.DEFAULTS_BACKEND, HttpCheckKeywords::httpCheck)
            .add("tcp-check", 1, Keyword.ANY, Scope.DEFAULTS_BACKEND, TcpCheckKeywords::tcpCheck)
            .add("retries", 1, 1, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) ->
                    draft.retries = Units.integer(line.word(1), "'retries'", 0, Integer.MAX_VALUE))
            // retry-on, use-server, force-persist, ignore-persist: see DispatchKeywords.
            .add("retry-on", 0, Keyword.ANY, Scope.DEFAULTS_BACKEND, DispatchKeywords::retryOn)
            .add("use-server", 1, Keyword.ANY, Scope.BACKEND_ONLY, DispatchKeywords::useServer)
            .add("force-persist", 0, Keyword.ANY, Scope.BACKEND_ONLY, DispatchKeywords::persistRule)
            .add("ignore-persist", 0, Keyword.ANY, Scope.BACKEND_ONLY, DispatchKeywords::persistRule)
            .add("http-reuse", 1, 1, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) ->
                    draft.reuse = ConnectionKeywords.httpReuse(line.word(1)))
            .add("fullconn", 1, 1, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) ->
                    draft.fullconn = Units.integer(line.word(1), "'fullconn'", 0, Integer.MAX_VALUE))
            .add("errorfile", 2, 2, Scope.ALL, ProxyKeywords::errorfile)
            // compression algo|type|offload: see CompressionKeywords (HAProxy's own messages for bad lines).
            .add("compression", 0, Keyword.ANY, Scope.ALL, CompressionKeywords::compression)
            .add("errorfiles", 1, Keyword.ANY, Scope.ALL, ErrorKeywords::errorfiles)
            .add("http-error", 0, Keyword.ANY, Scope.ALL, ErrorKeywords::httpError)
            .add("id", 1, 1, Scope.FRONTEND_BACKEND, (line, draft, diagnostics) ->
                    draft.id = Units.integer(line.word(1), "'id'", 1, Integer.MAX_VALUE))
            .add("disabled", 0, 0, Scope.ALL, (line, draft, diagnostics) -> draft.disabled = true)
            .add("enabled", 0, 0, Scope.ALL, (line, draft, diagnostics) -> draft.disabled = false)
            .add("description", 1, Keyword.ANY, Scope.FRONTEND_BACKEND, (line, draft, diagnostics) ->
                    draft.description = String.join(" ", line.from(1)))
            .add("rate-limit", 2, 2, Scope.DEFAULTS_FRONTEND, (line, draft, diagnostics) -> {
                if (!line.word(1).equals("sessions")) {
                    throw new ConfigException("'rate-limit' expects 'sessions' followed by a rate (got '"
                            + line.word(1) + "').");
                }
                draft.sessionRate = Units.integer(line.word(2), "'rate-limit sessions'", 0, Integer.MAX_VALUE);
            })
            .add("log-tag", 1, 1, Scope.ALL, (line, draft, diagnostics) -> {
                if (line.word(1).isEmpty()) {
                    throw new ConfigException("'log-tag' expects a tag for use in syslog.");
                }
                draft.logTag = line.word(1);
            })
            .add("backlog", 1, 1, Scope.DEFAULTS_FRONTEND, (line, draft, diagnostics) ->
                    draft.backlog = Units.integer(line.word(1), "'backlog'", 1, Integer.MAX_VALUE))
            .add("http-send-name-header", 0, 1, Scope.DEFAULTS_BACKEND, (line, draft, diagnostics) -> {
                if (line.size() < 2 || line.word(1).isEmpty()) {
                    throw new ConfigException("'http-send-name-header' requires a header string.");
                }
                draft.sendNameHeader = line.word(1);
            })
            // monitor-uri, monitor fail, errorloc*, keep-alive settings: see TuningKeywords.
            .add("monitor-uri", 0, 1, Scope.DEFAULTS_FRONTEND, TuningKeywords::monitorUri)
            .add("monitor-net", 0, Keyword.ANY, Scope.ALL, (line, draft, diagnostics) -> {
                throw new ConfigException("'monitor-net' doesn't exist anymore (HAProxy 2.6 refuses it too). Please use "
                        + "'http-request return status 200 if { src " + (line.size() > 1 ? line.word(1) : "<net>")
                        + " }' instead.");
            })
            .add("monitor", 0, Keyword.ANY, Scope.FRONTEND_ONLY, TuningKeywords::monitor)
            .add("errorloc", 0, Keyword.ANY, Scope.ALL, TuningKeywords::errorloc)
            .add("errorloc302", 0, Keyword.ANY, Scope.ALL, TuningKeywords::errorloc)
            .add("errorloc303", 0, Keyword.ANY, Scope.ALL, TuningKeywords::errorloc)
            .add("clitcpka-cnt", 1, 1, Scope.DEFAULTS_FRONTEND, TuningKeywords::keepAliveSetting)
            .add("clitcpka-idle", 1, 1, Scope.DEFAULTS_FRONTEND, TuningKeywords::keepAliveSetting)
            .add("clitcpka-intvl", 1, 1, Scope.DEFAULTS_FRONTEND, TuningKeywords::keepAliveSetting)
            .add("srvtcpka-cnt", 1, 1, Scope.DEFAULTS_BACKEND, TuningKeywords::keepAliveSetting)
            .add("srvtcpka-idle", 1, 1, Scope.DEFAULTS_BACKEND, TuningKeywords::keepAliveSetting)
            .add("srvtcpka-intvl", 1, 1, Scope.DEFAULTS_BACKEND, TuningKeywords::keepAliveSetting)
            .add("log", 1, Keyword.ANY, Scope.ALL, ProxyKeywords::log)
            .add("stats", 1, Keyword.ANY, Scope.ALL, StatsKeywords::proxy)
            .add(new Keyword<>("stick-table", 1, 2, Keyword.ANY, Scope.FRONTEND_BACKEND, Keyword.Misplaced.ALERT,
                    StickKeywords::stickTable))
            .add(new Keyword<>("tcp-request", 1, 1, Keyword.ANY, Scope.FRONTEND_BACKEND, Keyword.Misplaced.ALERT,
                    StickKeywords::tcpRequest))
            .add(new Keyword<>("tcp-response", 1, 1, Keyword.ANY, Scope.BACKEND_ONLY, Keyword.Misplaced.ALERT,
                    StickKeywords::tcpResponse))
            .add(new Keyword<>("stick", 1, 2, Keyword.ANY, Scope.BACKEND_ONLY, Keyword.Misplaced.ALERT,
                    StickKeywords::stick))
            // Compiled after parsing, with the ACLs defined above each line.
            .add("http-request", 1, Keyword.ANY, Scope.FRONTEND_BACKEND, ProxyKeywords::rule)
            .add("http-response", 1, Keyword.ANY, Scope.FRONTEND_BACKEND, ProxyKeywords::rule)
            .add("http-after-response", 1, Keyword.ANY, Scope.FRONTEND_BACKEND, ProxyKeywords::rule)
            .add("redirect", 2, Keyword.ANY, Scope.FRONTEND_BACKEND, ProxyKeywords::rule)
            .add(new Keyword<>("capture", 1, 4, 5, Scope.FRONTEND_ONLY, Keyword.Misplaced.ALERT,
                    ProxyKeywords::capture))
            .add(new Keyword<>("declare", 1, 4, 4, Scope.FRONTEND_ONLY, Keyword.Misplaced.ALERT,
                    CaptureRules::declare))
            .add("log-format", 1, 1, Scope.DEFAULTS_FRONTEND, (line, draft, diagnostics) -> {
                if (line.word(1).isEmpty()) {
                    throw new ConfigException("'log-format' expects an argument (HAProxy refuses an empty format)");
                }
                draft.logFormat = LogFormats.of(line.word(1));
                draft.logFormatText = line.word(1);
                draft.logFormatTextAt = line.location();
                draft.logFormatSetAt = line.location();
            })
            // Compiled after parsing, with the section's ACL engine, as log-format is (see LogExtraKeywords).
            .add("unique-id-format", 1, 1, Scope.DEFAULTS_FRONTEND,
                    (line, draft, diagnostics) -> draft.uniqueIdFormat = LogExtraKeywords.format(line))
            .add("unique-id-header", 1, 1, Scope.DEFAULTS_FRONTEND,
                    (line, draft, diagnostics) -> draft.uniqueIdHeader = LogExtraKeywords.header(line))
            .add("log-format-sd", 1, 1, Scope.DEFAULTS_FRONTEND,
                    (line, draft, diagnostics) -> draft.structuredData = LogExtraKeywords.format(line))
            .add("error-log-format", 1, 1, Scope.DEFAULTS_FRONTEND,
                    (line, draft, diagnostics) -> draft.errorFormat = LogExtraKeywords.format(line));

    private ProxyKeywords() {
    }

    private static void mode(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        draft.mode = switch (line.word(1)) {
            case "http" -> Mode.HTTP;
            case "tcp" -> Mode.TCP;
            case "health" -> throw new ConfigException("proxy mode 'health' is not supported yet (removed in HAProxy 2.4+)");
            default -> throw new ConfigException("unknown proxy mode '" + line.word(1) + "' (expected: http or tcp)");
        };
    }

    private static void useBackend(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String backend = line.word(1);
        Optional<Condition> condition = Optional.empty();
        if (line.size() > 2) {
            String keyword = line.word(2);
            if (!keyword.equals("if") && !keyword.equals("unless")) {
                throw new ConfigException("'use_backend " + backend + "' expects 'if' or 'unless' after the backend "
                        + "name (got '" + keyword + "')");
            }
            if (line.size() == 3) {
                throw new ConfigException("'use_backend " + backend + "': missing condition after '" + keyword + "'");
            }
            condition = Optional.of(new Condition(line.location(), keyword.equals("unless"), line.from(3)));
        }
        // A name with '%' is a log-format string, rendered per request (compiled in config.check.Conditions).
        draft.useBackends.add(new BackendRef(line.location(), backend, condition));
    }

    private static void rule(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.word(0).equals("http-request") && line.word(1).equals("use-service")) {
            // The services (Prometheus exporter) are chosen by the stats part, after the request rules.
            UseServiceKeyword.apply(line, draft, diagnostics);
            return;
        }
        boolean capture = line.word(1).equals("capture")
                && (line.word(0).equals("http-request") || line.word(0).equals("http-response"));
        List<String> words = capture ? CaptureRules.slot(line, draft) : line.from(1);
        draft.rules.add(new dev.sluice.balancer.config.model.RuleLine(line.location(), line.word(0), words));
    }

    private static void server(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String name = line.word(1);
        Names.check(name, "server name");
        String who = "server " + draft.name + "/" + name;
        ServerDraft server = new ServerDraft(draft.defaultServer, draft.tlsDefaults);
        // Parse the address first so its message names it, then the options in order; init-addr comes last.
        var target = Addresses.serverTarget(line.word(2));
        ServerKeywords.apply(line.from(3), server, who, false);
        var options = server.toOptions();
        ServerTlsKeywords.validate(options, who, draft.name, draft.mode); // ssl: the context it builds to, at this line
        draft.servers.add(ServerTargets.server(line.location(), name, target, server.id, options, who,
                diagnostics));
    }

    /** {@code server-template PREFIX NUM|LOW-HIGH FQDN[:PORT] [params*]}: servers PREFIX&lt;n&gt; sharing one name. */
    private static void serverTemplate(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String prefix = line.word(1);
        Names.check(prefix, "server-template prefix");
        int[] range = TemplateRange.parse(line.word(2));
        var target = Addresses.serverTarget(line.word(3));
        ServerDraft server = new ServerDraft(draft.defaultServer, draft.tlsDefaults);
        ServerKeywords.apply(line.from(4), server, "server-template " + draft.name + "/" + prefix, false);
        if (server.id != 0) {
            throw new ConfigException("'server-template " + draft.name + "/" + prefix + "': 'id' is not allowed "
                    + "(each server of the template needs its own)");
        }
        var options = server.toOptions();
        ServerTlsKeywords.validate(options, "server-template " + draft.name + "/" + prefix, draft.name,
                draft.mode);
        for (int n = range[0]; n <= range[1]; n++) {
            String name = prefix + n;
            draft.servers.add(ServerTargets.server(line.location(), name, target, 0, options,
                    "server " + draft.name + "/" + name, diagnostics));
        }
    }

    private static void defaultServer(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        ServerDraft server = new ServerDraft(draft.defaultServer, draft.tlsDefaults);
        ServerKeywords.apply(line.args(), server, "default-server", true);
        draft.defaultServer = server.toOptions();
    }

    private static void balance(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String written = line.word(1);
        int paren = written.indexOf('(');
        String algorithm = paren < 0 ? written : written.substring(0, paren);
        if (!ALGORITHMS.contains(algorithm)) {
            String close = Suggestions.closest(algorithm, ALGORITHMS);
            throw new ConfigException("'balance': unknown algorithm '" + written + "'"
                    + (close == null ? "" : "; did you mean '" + close + "'?"));
        }
        if (paren >= 0 && !written.endsWith(")")) {
            throw new ConfigException("'balance': missing ')' in '" + written + "'");
        }
        draft.balance = new Balance(line.location(), written, line.from(2),
                dev.sluice.balancer.lb.Balance.of(BalanceKeywords.algorithm(written, line.from(2))));
    }

    private static void timeout(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String name = line.word(1);
        TimeoutKind kind = TimeoutKind.byKeyword(name);
        if (kind == null) {
            if (name.equals("tarpit")) {
                draft.tarpit = Optional.of(Units.time(line.word(2)));
                return;
            }
            List<String> names = java.util.Arrays.stream(TimeoutKind.values()).map(TimeoutKind::keyword).toList();
            String close = Suggestions.closest(name, names);
            throw new ConfigException("'timeout' supports " + String.join(", ", names) + " (got '" + name + "')"
                    + (close == null ? "" : "; did you mean '" + close + "'?"));
        }
        Duration value = Units.proxyTimeout(line.word(2), warning -> diagnostics.warning(line.location(), warning));
        Set<Scope> scopes = kind.frontendSide() && kind.backendSide() ? Scope.ALL
                : kind.frontendSide() ? Scope.DEFAULTS_FRONTEND : Scope.DEFAULTS_BACKEND;
        if (Placement.applies("timeout " + name, scopes, Keyword.Misplaced.WARN, draft, line, diagnostics)) {
            draft.timeouts = draft.timeouts.with(kind, value);
        }
    }

    private static void errorfile(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        ErrorFile file = ErrorFiles.read(line.location(), line.word(1), line.word(2), draft.baseDirectory);
        ErrorKeywords.page(draft, file);
    }

    /**
     * {@code capture request|response header NAME len N}: the header's value appears in httplog's {…};
     * {@code capture cookie NAME len N}: the first cookie whose name starts with NAME, as name=value, in
     * {@code %CC} (the request's Cookie) and {@code %CS} (the response's Set-Cookie).
     */
    private static void capture(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String side = line.word(1);
        if (side.equals("cookie")) {
            if (line.size() != 5 || !line.word(3).equals("len")) {
                throw new ConfigException("'capture cookie' expects <cookie_name> 'len' <len>");
            }
            draft.cookieCapture = new LogSettings.Capture(line.word(2), Units.integer(line.word(4),
                    "'capture cookie' len", 1, LogSettings.Capture.MAX_LENGTH));
            return;
        }
        if (!(side.equals("request") || side.equals("response")) || !line.word(2).equals("header")
                || line.size() != 6 || !line.word(4).equals("len")) {
            throw new ConfigException("'capture' expects 'request header <name> len <length>' or "
                    + "'response header <name> len <length>' or 'cookie <name> len <length>'");
        }
        int length = Units.integer(line.word(5), "'capture " + side + " header' len", 1,
                LogSettings.Capture.MAX_LENGTH);
        LogSettings.Capture capture = new LogSettings.Capture(line.word(3), length);
        (side.equals("request") ? draft.requestCaptures : draft.responseCaptures).add(capture);
    }

    /** {@code no log} forgets the log targets inherited from defaults; {@code no option X} negates an option. */
    private static void no(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.word(1).equals("log")) {
            if (line.size() > 2) {
                throw new ConfigException("'no log' cannot handle unexpected argument '" + line.word(2) + "'");
            }
            draft.logs.clear();
            return;
        }
        if (line.size() < 3) {
            throw new ConfigException("'no' expects at least 2 arguments (got " + (line.size() - 1) + ")");
        }
        OptionKeywords.negate(line, draft, diagnostics);
    }

    private static void log(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.word(1).equals("global")) {
            if (line.size() > 2) {
                throw new ConfigException("'log global' cannot handle unexpected argument '" + line.word(2) + "'");
            }
            draft.logs.add(new LogTarget(line.location(), LogTarget.GLOBAL, List.of()));
            return;
        }
        draft.logs.add(LogTargets.parse(line));
    }
}
