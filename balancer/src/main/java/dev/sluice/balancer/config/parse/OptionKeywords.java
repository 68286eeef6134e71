package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.ConnectionMode;
import dev.sluice.balancer.config.model.ForwardFor;
import dev.sluice.balancer.config.model.LogFormat;
import dev.sluice.balancer.config.model.Network;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code option NAME …} and {@code no option NAME}. */
final class OptionKeywords {

    /** One option: where it applies, whether {@code no option} may reset it, and its parser. */
    private record Option(Set<Scope> scopes, boolean negatable, Keyword.Handler<ProxyDraft> set,
                          Keyword.Handler<ProxyDraft> unset) {
    }

    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("forwardfor", new Option(Scope.ALL, false, OptionKeywords::forwardFor, null));
        connection(ConnectionMode.KEEP_ALIVE);
        connection(ConnectionMode.SERVER_CLOSE);
        connection(ConnectionMode.CLOSE);
        OPTIONS.put("httplog", new Option(Scope.DEFAULTS_FRONTEND, false, OptionKeywords::httplog, null));
        OPTIONS.put("tcplog", new Option(Scope.DEFAULTS_FRONTEND, false, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            logFormat(draft, LogFormat.TCP, line, diagnostics);
        }, null));
        OPTIONS.put("log-separate-errors", new Option(Scope.DEFAULTS_FRONTEND, true,
                (line, draft, diagnostics) -> draft.separateErrors = true,
                (line, draft, diagnostics) -> draft.separateErrors = false));
        OPTIONS.put("dontlognull", new Option(Scope.DEFAULTS_FRONTEND, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.dontLogNull = true;
        }, (line, draft, diagnostics) -> draft.dontLogNull = false));
        OPTIONS.put("dontlog-normal", new Option(Scope.DEFAULTS_FRONTEND, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.dontLogNormal = true;
        }, (line, draft, diagnostics) -> draft.dontLogNormal = false));
        OPTIONS.put("logasap", new Option(Scope.DEFAULTS_FRONTEND, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.logAsap = true;
        }, (line, draft, diagnostics) -> draft.logAsap = false));
        OPTIONS.put("log-health-checks", new Option(Scope.DEFAULTS_BACKEND, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.logHealthChecks = true;
        }, (line, draft, diagnostics) -> draft.logHealthChecks = false));
        OPTIONS.put("redispatch", new Option(Scope.DEFAULTS_BACKEND, true, (line, draft, diagnostics) -> {
            // option redispatch [N]: every Nth retry (N > 0), the |N|th before the last (N < 0), never (0).
            noMoreArgs(line, 3);
            int after = line.size() > 2 ? DispatchKeywords.redispatchInterval(line.word(2)) : -1;
            draft.redispatch = after != 0;
            draft.redispatchAfter = after;
        }, (line, draft, diagnostics) -> draft.redispatch = false));
        OPTIONS.put("persist", new Option(Scope.DEFAULTS_BACKEND, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.persist = true;
        }, (line, draft, diagnostics) -> draft.persist = false));
        OPTIONS.put("httpchk", new Option(Scope.DEFAULTS_BACKEND, true, (line, draft, diagnostics) -> {
            draft.tcpCheck.kind = null; // one check type per backend: the last option wins
            HttpCheckKeywords.option(line, draft, diagnostics);
        }, (line, draft, diagnostics) -> draft.httpCheck.enabled = false));
        for (String check : new String[] {"tcp-check", "redis-check", "ssl-hello-chk", "smtpchk", "mysql-check",
                "pgsql-check", "ldap-check"}) {
            OPTIONS.put(check, new Option(Scope.DEFAULTS_BACKEND, false, TcpCheckKeywords::option, null));
        }
        OPTIONS.put("allbackups", new Option(Scope.DEFAULTS_BACKEND, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.allBackups = true;
        }, (line, draft, diagnostics) -> draft.allBackups = false));
        // originalto, tcp keep-alive and http-buffer-request: see TuningKeywords.
        OPTIONS.put("originalto", new Option(Scope.ALL, false, TuningKeywords::originalTo, null));
        OPTIONS.put("tcpka", keepAlive(Scope.ALL));
        OPTIONS.put("clitcpka", keepAlive(Scope.DEFAULTS_FRONTEND));
        OPTIONS.put("srvtcpka", keepAlive(Scope.DEFAULTS_BACKEND));
        OPTIONS.put("http-buffer-request", new Option(Scope.ALL, true,
                (line, draft, diagnostics) -> TuningKeywords.bufferRequest(line, draft, true),
                (line, draft, diagnostics) -> TuningKeywords.bufferRequest(line, draft, false)));
    }

    static {
        // http-no-delay, abortonclose, http-pretend-keepalive, http-ignore-probes: see TuningKeywords.
        OPTIONS.put("http-ignore-probes", new Option(Scope.DEFAULTS_FRONTEND, true,
                (line, draft, diagnostics) -> TuningKeywords.ignoreProbes(line, draft, true),
                (line, draft, diagnostics) -> TuningKeywords.ignoreProbes(line, draft, false)));
        OPTIONS.put("http-pretend-keepalive", new Option(Scope.ALL, true,
                (line, draft, diagnostics) -> TuningKeywords.pretendKeepAlive(line, draft, true),
                (line, draft, diagnostics) -> TuningKeywords.pretendKeepAlive(line, draft, false)));
        OPTIONS.put("http-no-delay", new Option(Scope.ALL, true,
                (line, draft, diagnostics) -> TuningKeywords.httpNoDelay(line, draft, true),
                (line, draft, diagnostics) -> TuningKeywords.httpNoDelay(line, draft, false)));
        OPTIONS.put("http-restrict-req-hdr-names", new Option(Scope.ALL, false, (line, draft, diagnostics) -> {
            if (line.size() != 3) {
                throw new ConfigException("'option http-restrict-req-hdr-names' expects exactly 1 argument "
                        + "(preserve, delete or reject).");
            }
            draft.headerNames = switch (line.word(2)) {
                case "preserve" -> dev.sluice.balancer.runtime.HeaderNamePolicy.PRESERVE;
                case "delete" -> dev.sluice.balancer.runtime.HeaderNamePolicy.DELETE;
                case "reject" -> dev.sluice.balancer.runtime.HeaderNamePolicy.REJECT;
                default -> throw new ConfigException("'option http-restrict-req-hdr-names' only supports "
                        + "'preserve', 'delete' and 'reject' (got '" + line.word(2) + "').");
            };
        }, null));
        // Bytes are counted as they cross each socket (stats.ServerBytes), never only at the end of a
        // session, which is what HAProxy's option contstats asks: accepted, nothing left to change.
        OPTIONS.put("contstats", new Option(Scope.DEFAULTS_FRONTEND, true,
                (line, draft, diagnostics) -> noMoreArgs(line, 2), (line, draft, diagnostics) -> noMoreArgs(line, 2)));
        // A frontend's client connections, a backend's server connections (see io.NoLinger).
        OPTIONS.put("nolinger", new Option(Scope.ALL, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            draft.noLinger = true;
        }, (line, draft, diagnostics) -> draft.noLinger = false));
        for (String hint : TuningKeywords.TCP_HINTS) {
            OPTIONS.put(hint, new Option(Scope.ALL, true,
                    (line, draft, diagnostics) -> TuningKeywords.tcpHint(line, diagnostics),
                    (line, draft, diagnostics) -> TuningKeywords.tcpHint(line, diagnostics)));
        }
        OPTIONS.put("prefer-last-server", new Option(Scope.DEFAULTS_BACKEND, true,
                (line, draft, diagnostics) -> draft.tuning.preferLastServer = true,
                (line, draft, diagnostics) -> draft.tuning.preferLastServer = false));
        // A stopping process waits for an idle client's next request to answer it with Connection: close.
        OPTIONS.put("idle-close-on-response", new Option(Scope.DEFAULTS_FRONTEND, true,
                (line, draft, diagnostics) -> {
                    noMoreArgs(line, 2);
                    draft.tuning.idleCloseOnResponse = true;
                },
                (line, draft, diagnostics) -> draft.tuning.idleCloseOnResponse = false));
        OPTIONS.put("abortonclose", new Option(Scope.DEFAULTS_BACKEND, true,
                (line, draft, diagnostics) -> TuningKeywords.abortOnClose(line, draft, true),
                (line, draft, diagnostics) -> TuningKeywords.abortOnClose(line, draft, false)));
    }

    private static Option keepAlive(Set<Scope> scopes) {
        return new Option(scopes, true, (line, draft, diagnostics) -> TuningKeywords.keepAlive(line, draft, true),
                (line, draft, diagnostics) -> TuningKeywords.keepAlive(line, draft, false));
    }

    private OptionKeywords() {
    }

    private static void connection(ConnectionMode mode) {
        OPTIONS.put(mode.option(), new Option(Scope.ALL, true, (line, draft, diagnostics) -> {
            noMoreArgs(line, 2);
            if (draft.connectionModeSetAt != null && draft.connectionMode != mode) {
                diagnostics.warning(line.location(), "'option " + mode.option() + "' overrides 'option "
                        + draft.connectionMode.option() + "' set at " + draft.connectionModeSetAt
                        + " (the last one wins)");
            }
            draft.connectionMode = mode;
            draft.connectionModeSetAt = line.location();
        }, (line, draft, diagnostics) -> {
            if (draft.connectionMode == mode) {
                draft.connectionMode = ConnectionMode.KEEP_ALIVE;
            }
        }));
    }

    /** {@code option NAME …}: the line's word 1 is the option's name. */
    static void apply(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String name = line.word(1);
        Option option = find(name);
        if (Placement.applies("option " + name, option.scopes, Keyword.Misplaced.WARN, draft, line, diagnostics)) {
            option.set.apply(line, draft, diagnostics);
        }
    }

    /** {@code no option NAME}. */
    static void negate(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (!line.word(1).equals("option")) {
            throw new ConfigException("'no' is only supported before 'option' (got 'no " + line.word(1) + "')");
        }
        String name = line.word(2);
        if (line.size() > 3) {
            throw new ConfigException("'no option " + name + "' cannot handle unexpected argument '" + line.word(3) + "'");
        }
        Option option = OPTIONS.containsKey(name) ? OPTIONS.get(name) : find(name);
        if (!option.negatable) {
            throw new ConfigException("negation is not supported for option '" + name + "'");
        }
        if (Placement.applies("no option " + name, option.scopes, Keyword.Misplaced.WARN, draft, line, diagnostics)) {
            option.unset.apply(line, draft, diagnostics);
        }
    }

    private static Option find(String name) throws ConfigException {
        Option option = OPTIONS.get(name);
        if (option != null) {
            return option;
        }
        String advice = Removed.OPTION.get(name);
        if (advice != null) {
            throw new ConfigException("option '" + name + "' is " + advice + ".");
        }
        String reason = Unsupported.OPTION.get(name);
        if (reason != null) {
            throw new ConfigException("'option " + name + "' is not supported yet (" + reason + ")");
        }
        String close = Suggestions.closest(name, OPTIONS.keySet(), Unsupported.OPTION.keySet());
        throw new ConfigException("unknown option '" + name + "'" + (close == null ? "" : "; did you mean '" + close + "'?"));
    }

    private static void noMoreArgs(Line line, int allowed) throws ConfigException {
        if (line.size() > allowed) {
            throw new ConfigException("'option " + line.word(1) + "' cannot handle unexpected argument '"
                    + line.word(allowed) + "'");
        }
    }

    private static void httplog(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        LogFormat format = LogFormat.HTTP;
        if (line.size() > 2) {
            if (!line.word(2).equals("clf")) {
                throw new ConfigException("'option httplog' only supports the 'clf' argument (got '" + line.word(2) + "')");
            }
            noMoreArgs(line, 3);
            format = LogFormat.HTTP_CLF;
        }
        logFormat(draft, format, line, diagnostics);
    }

    private static void logFormat(ProxyDraft draft, LogFormat format, Line line, Diagnostics diagnostics) {
        if (draft.logFormatSetAt != null && draft.logFormat != format) {
            diagnostics.warning(line.location(), "'option " + line.word(1) + "' overrides the log format set at "
                    + draft.logFormatSetAt + " (the last one wins)");
        }
        draft.logFormat = format;
        draft.logFormatSetAt = line.location();
    }

    /** {@code option forwardfor [except NET] [header NAME] [if-none]}, in any order. */
    private static void forwardFor(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        Optional<Network> except = Optional.empty();
        String header = ForwardFor.DEFAULT_HEADER;
        boolean ifNone = false;
        for (int i = 2; i < line.size(); i++) {
            switch (line.word(i)) {
                case "except" -> {
                    if (i + 1 >= line.size()) {
                        throw new ConfigException("'option forwardfor except' expects <address>[/mask] as argument");
                    }
                    except = Optional.of(Addresses.network(line.word(++i), "option forwardfor except"));
                }
                case "header" -> {
                    if (i + 1 >= line.size() || line.word(i + 1).isEmpty()) {
                        throw new ConfigException("'option forwardfor header' expects <header_name> as argument");
                    }
                    header = line.word(++i);
                    if (!header.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                        throw new ConfigException("'option forwardfor header': '" + header
                                + "' is not a valid header name");
                    }
                }
                case "if-none" -> ifNone = true;
                default -> throw new ConfigException("'option forwardfor' only supports optional values: 'header', "
                        + "'except' and 'if-none' (got '" + line.word(i) + "')");
            }
        }
        draft.forwardFor = Optional.of(new ForwardFor(except, header, ifNone));
    }
}
