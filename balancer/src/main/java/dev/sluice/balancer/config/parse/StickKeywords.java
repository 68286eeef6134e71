package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclException;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.StickRule;
import dev.sluice.balancer.config.model.StickSettings;
import dev.sluice.balancer.config.model.TcpRequestRule;
import dev.sluice.balancer.config.model.TcpResponseRule;
import dev.sluice.balancer.config.model.TcpResponses;
import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.TableSpec;
import dev.sluice.balancer.stick.TcpResponseRules;
import dev.sluice.balancer.stick.TcpRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code stick-table} and {@code tcp-request} lines of a proxy section. */
final class StickKeywords {

    /** Data types HAProxy 2.6 stores that Sluice does not keep yet. */
    private static final Set<String> UNSUPPORTED_DATA = Set.of("gpt", "gpc", "gpc_rate", "glitch_cnt", "glitch_rate",
            "server_key", "server_name");
    /** tcp-request actions HAProxy 2.6 knows that Sluice does not implement yet. */
    private static final Set<String> UNSUPPORTED_ACTIONS = Set.of("set-var-fmt", "set-src",
            "set-src-port", "set-dst", "set-dst-port", "set-mark", "set-tos", "sc-inc-gpc", "sc-set-gpt", "capture", "do-resolve", "use-service", "send-spoe-group",
            "set-priority-class", "set-priority-offset", "switch-mode", "set-log-level", "set-nice", "attach-srv",
            "set-bandwidth-limit", "set-fc-mark", "set-fc-tos", "lua");

    /** tcp-response content actions HAProxy 2.6 knows that Sluice does not implement yet. */
    private static final Set<String> UNSUPPORTED_RESPONSE_ACTIONS = Set.of("ot-group", "set-log-level", "set-nice",
            "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt", "sc-set-gpt0", "send-spoe-group", "set-var-fmt",
            "set-mark", "set-tos", "lua");

    /** A section's stick settings while it is read. */
    static final class Draft {
        TableSpec table;
        SourceLocation tableAt;
        final List<TcpRequestRule> tcpRequests = new ArrayList<>();
        Duration inspectDelay = Duration.ZERO;
        final List<StickRule> stickRules = new ArrayList<>();
        final List<TcpResponseRule> tcpResponses = new ArrayList<>();
        Duration responseDelay = Duration.ZERO;

        StickSettings build() {
            return new StickSettings(Optional.ofNullable(table), tableAt, tcpRequests, inspectDelay, stickRules,
                    new TcpResponses(tcpResponses, responseDelay));
        }
    }

    private StickKeywords() {
    }

    /** {@code stick-table type T [len N] size N [expire T] [nopurge] [store D[,D…]]…}. */
    static void stickTable(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (draft.stick.table != null) {
            throw new ConfigException("only one stick-table per proxy (one is declared at " + draft.stick.tableAt + ")");
        }
        KeyType type = null;
        int len = -1;
        long size = -1;
        Duration expire = Duration.ZERO;
        boolean nopurge = false;
        Map<StickData, Long> store = new EnumMap<>(StickData.class);
        String peers = null;
        List<String> args = line.args();
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            switch (word) {
                case "type" -> {
                    String name = value(args, ++i, "type");
                    type = KeyType.byKeyword(name);
                    if (type == null) {
                        if (name.equals("binary")) {
                            throw new ConfigException("stick-table: type 'binary' is not supported yet");
                        }
                        throw new ConfigException("stick-table: unknown type '" + name + "' (expected: ip, ipv6, "
                                + "integer, string)");
                    }
                }
                case "len" -> len = Units.integer(value(args, ++i, "len"), "stick-table 'len'", 1, 1 << 16);
                case "size" -> size = Units.size(value(args, ++i, "size"));
                case "expire" -> expire = Units.time(value(args, ++i, "expire"));
                case "nopurge" -> nopurge = true;
                case "store" -> store(value(args, ++i, "store"), store);
                case "peers" -> {
                    peers = value(args, ++i, "peers");
                }
                case "srvkey", "write-to", "recv-only" -> throw new ConfigException("stick-table: '" + word
                        + "' is not supported yet (tables are local to each process)");
                default -> throw new ConfigException("stick-table: unknown argument '" + word + "' (expected: type, "
                        + "len, size, expire, nopurge, peers, store)");
            }
        }
        if (type == null) {
            throw new ConfigException("stick-table: missing 'type'");
        }
        if (size <= 0) {
            throw new ConfigException("stick-table: missing or null 'size'");
        }
        if (size > TableSpec.MAX_SIZE) {
            throw new ConfigException("stick-table: size " + size + " is too large (maximum " + TableSpec.MAX_SIZE + ")");
        }
        if (len >= 0 && type != KeyType.STRING) {
            throw new ConfigException("stick-table: 'len' applies to type string only");
        }
        int keyLength = type == KeyType.STRING ? (len < 0 ? KeyType.DEFAULT_STRING_LENGTH : len) : 0;
        draft.stick.table = new TableSpec(draft.name, type, keyLength, (int) size, expire, nopurge, store);
        if (peers != null) {
            draft.stick.table = draft.stick.table.withPeers(peers);
        }
        draft.stick.tableAt = line.location();
    }

    private static void store(String list, Map<StickData, Long> store) throws ConfigException {
        for (String item : list.split(",", -1)) {
            int paren = item.indexOf('(');
            String name = paren < 0 ? item : item.substring(0, paren);
            StickData data = StickData.byKeyword(name);
            if (data == null) {
                if (UNSUPPORTED_DATA.contains(name)) {
                    throw new ConfigException("stick-table: data type '" + name + "' is not supported yet");
                }
                throw new ConfigException("stick-table: unknown data type '" + name + "' in store");
            }
            long period = 0;
            if (data.rate()) {
                if (paren < 0 || !item.endsWith(")")) {
                    throw new ConfigException("stick-table: data type '" + name + "' needs a period, e.g. " + name
                            + "(10s)");
                }
                period = Units.time(item.substring(paren + 1, item.length() - 1)).toMillis();
                if (period <= 0) {
                    throw new ConfigException("stick-table: the period of '" + name + "' must be positive");
                }
            } else if (paren >= 0) {
                throw new ConfigException("stick-table: data type '" + name + "' takes no argument");
            }
            store.put(data, period);
        }
    }

    private static String value(List<String> args, int i, String what) throws ConfigException {
        if (i >= args.size()) {
            throw new ConfigException("stick-table: missing value after '" + what + "'");
        }
        return args.get(i);
    }

    /** {@code tcp-request inspect-delay T} and {@code tcp-request connection|session|content ACTION …}. */
    static void tcpRequest(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String what = line.word(1);
        if (what.equals("inspect-delay")) {
            if (line.size() != 3) {
                throw new ConfigException("'tcp-request inspect-delay' expects a time");
            }
            draft.stick.inspectDelay = Units.time(line.word(2));
            return;
        }
        TcpRule.Phase phase = switch (what) {
            case "connection" -> TcpRule.Phase.CONNECTION;
            case "session" -> TcpRule.Phase.SESSION;
            case "content" -> TcpRule.Phase.CONTENT;
            default -> throw new ConfigException("'tcp-request' expects 'inspect-delay', 'connection', 'session' or "
                    + "'content' (got '" + what + "')");
        };
        if (!draft.kind.isFrontend() && phase != TcpRule.Phase.CONTENT) {
            // HAProxy 2.6's own words: a backend has no connection or session of its own.
            throw new ConfigException("tcp-request " + what + " is not allowed because " + draft.describe()
                    + " is not a frontend");
        }
        if (line.size() < 3) {
            throw new ConfigException("'tcp-request " + what + "' expects an action");
        }
        String verb = line.word(2);
        int next = 3;
        TcpRule.Action action;
        int slot = -1;
        SampleExpression key = null;
        Optional<String> table = Optional.empty();
        String variable = null;
        if (verb.equals("accept")) {
            action = TcpRule.Action.ACCEPT;
        } else if (verb.equals("reject")) {
            action = TcpRule.Action.REJECT;
        } else if (verb.equals("silent-drop")) {
            action = TcpRule.Action.SILENT_DROP;
        } else if (verb.equals("expect-proxy")) {
            if (phase != TcpRule.Phase.CONNECTION) {
                throw new ConfigException("'expect-proxy' is only valid in 'tcp-request connection' rules");
            }
            if (line.size() < 4 || !line.word(3).equals("layer4")) {
                throw new ConfigException("'tcp-request connection expect-proxy' expects 'layer4'");
            }
            action = TcpRule.Action.EXPECT_PROXY;
            next = 4;
        } else if (verb.startsWith("track-sc")) {
            String n = verb.substring("track-sc".length());
            if (!n.matches("[0-2]")) {
                throw new ConfigException("'tcp-request " + what + " " + verb + "': stick counter must be 0, 1 or 2");
            }
            slot = n.charAt(0) - '0';
            if (line.size() < 4) {
                throw new ConfigException("'tcp-request " + what + " " + verb + "' expects a sample expression");
            }
            key = expression(line.word(3), draft.name);
            next = 4;
            if (next < line.size() && line.word(next).equals("table")) {
                if (next + 1 >= line.size()) {
                    throw new ConfigException("'tcp-request " + what + " " + verb + "': missing table name");
                }
                table = Optional.of(line.word(next + 1));
                next += 2;
            }
            action = TcpRule.Action.TRACK;
        } else if (verb.matches("sc-inc-gpc[01](\\([0-9]\\))?|sc-set-gpt0(\\([0-9]\\))?")) {
            String base = verb.contains("(") ? verb.substring(0, verb.indexOf('(')) : verb;
            slot = verb.equals(base) ? 0 : verb.charAt(base.length() + 1) - '0';
            if (slot > 2) {
                throw new ConfigException("'tcp-request " + what + " " + verb + "': invalid stick counter (expected: "
                        + base + "(0), " + base + "(1) or " + base + "(2))");
            }
            action = switch (base) {
                case "sc-inc-gpc0" -> TcpRule.Action.INCREMENT_GPC0;
                case "sc-inc-gpc1" -> TcpRule.Action.INCREMENT_GPC1;
                default -> TcpRule.Action.SET_GPT0;
            };
            if (action == TcpRule.Action.SET_GPT0) {
                if (line.size() < 4) {
                    throw new ConfigException("'tcp-request " + what + " " + verb + "' expects an integer or a sample "
                            + "expression");
                }
                String value = line.word(3);
                key = expression(value.matches("-?[0-9]+") ? "int(" + value + ")" : value, draft.name);
                next = 4;
            }
        } else if (verb.startsWith("set-var(") || verb.startsWith("unset-var(")) {
            boolean set = verb.startsWith("set-var(");
            variable = TcpVariables.name(phase, verb);
            if (set) {
                if (line.size() < 4) {
                    throw new ConfigException("'tcp-request " + what + " " + verb + "' expects a sample expression");
                }
                key = expression(line.word(3), draft.name);
                next = 4;
            }
            action = set ? TcpRule.Action.SET_VAR : TcpRule.Action.UNSET_VAR;
        } else if (UNSUPPORTED_ACTIONS.contains(verb.contains("(") ? verb.substring(0, verb.indexOf('(')) : verb)) {
            throw new ConfigException("'tcp-request " + what + " " + verb + "' is not supported yet");
        } else {
            throw new ConfigException("'tcp-request " + what + "': unknown action '" + verb + "' (expected: accept, "
                    + "reject, silent-drop, track-sc0, track-sc1, track-sc2, sc-inc-gpc0, sc-inc-gpc1, sc-set-gpt0, set-var, unset-var" + (phase == TcpRule.Phase.CONNECTION
                    ? ", expect-proxy layer4" : "") + ")");
        }
        Optional<Condition> condition = Optional.empty();
        if (next < line.size()) {
            String keyword = line.word(next);
            if (!keyword.equals("if") && !keyword.equals("unless")) {
                throw new ConfigException("'tcp-request " + what + " " + verb + "': expects 'if' or 'unless' (got '"
                        + keyword + "')");
            }
            if (next + 1 >= line.size()) {
                throw new ConfigException("'tcp-request " + what + " " + verb + "': missing condition after '"
                        + keyword + "'");
            }
            condition = Optional.of(new Condition(line.location(), keyword.equals("unless"), line.from(next + 1)));
        }
        draft.stick.tcpRequests.add(new TcpRequestRule(line.location(), phase, action, slot, key, table, condition,
                variable));
    }

    /** {@code tcp-response inspect-delay T} and {@code tcp-response content ACTION [if|unless COND]} (backends). */
    static void tcpResponse(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String what = line.word(1);
        if (what.equals("inspect-delay")) {
            if (line.size() != 3) {
                throw new ConfigException("'tcp-response inspect-delay' expects a time");
            }
            draft.stick.responseDelay = Units.time(line.word(2));
            return;
        }
        if (!what.equals("content")) {
            throw new ConfigException("'tcp-response' expects 'inspect-delay' or 'content' (got '" + what + "')");
        }
        if (line.size() < 3) {
            throw new ConfigException("'tcp-response content' expects an action (accept, reject, close, silent-drop, "
                    + "set-var, unset-var)");
        }
        String verb = line.word(2);
        int next = 3;
        SampleExpression value = null;
        String variable = null;
        TcpResponseRules.Action action = switch (verb) {
            case "accept" -> TcpResponseRules.Action.ACCEPT;
            case "reject" -> TcpResponseRules.Action.REJECT;
            case "close" -> TcpResponseRules.Action.CLOSE;
            case "silent-drop" -> TcpResponseRules.Action.SILENT_DROP;
            default -> null;
        };
        if (action == null && (verb.startsWith("set-var(") || verb.startsWith("unset-var("))
                && verb.endsWith(")")) {
            boolean set = verb.startsWith("set-var(");
            variable = verb.substring(verb.indexOf('(') + 1, verb.length() - 1);
            String error = dev.sluice.balancer.acl.Variables.checkName(variable);
            if (error != null) {
                throw new ConfigException("'tcp-response content " + verb + "': " + error);
            }
            if (set) {
                if (line.size() < 4) {
                    throw new ConfigException("'tcp-response content " + verb + "' expects a sample expression");
                }
                value = expression(line.word(3), draft.name);
                next = 4;
            }
            action = set ? TcpResponseRules.Action.SET_VAR : TcpResponseRules.Action.UNSET_VAR;
        }
        if (action == null) {
            String base = verb.contains("(") ? verb.substring(0, verb.indexOf('(')) : verb;
            if (UNSUPPORTED_RESPONSE_ACTIONS.contains(base)) {
                throw new ConfigException("'tcp-response content " + verb + "' is not supported yet");
            }
            throw new ConfigException("'tcp-response content': unknown action '" + verb + "' (expected: accept, "
                    + "reject, close, silent-drop, set-var, unset-var)");
        }
        Optional<Condition> condition = Optional.empty();
        if (next < line.size()) {
            String keyword = line.word(next);
            if (!keyword.equals("if") && !keyword.equals("unless")) {
                throw new ConfigException("'tcp-response content " + verb + "': expects 'if' or 'unless' (got '"
                        + keyword + "')");
            }
            if (next + 1 >= line.size()) {
                throw new ConfigException("'tcp-response content " + verb + "': missing condition after '" + keyword
                        + "'");
            }
            condition = Optional.of(new Condition(line.location(), keyword.equals("unless"), line.from(next + 1)));
        }
        draft.stick.tcpResponses.add(new TcpResponseRule(line.location(), action, value, variable, condition));
    }

    /** {@code stick on|match|store-request PATTERN [table T] [if|unless COND]}. */
    static void stick(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String verb = line.word(1);
        if (verb.equals("store-response")) {
            throw new ConfigException("'stick store-response' is not supported yet");
        }
        if (!verb.equals("on") && !verb.equals("match") && !verb.equals("store-request")) {
            throw new ConfigException("'stick' expects 'on', 'match' or 'store-request' (got '" + verb + "')");
        }
        if (line.size() < 3) {
            throw new ConfigException("'stick " + verb + "' expects a sample expression");
        }
        SampleExpression key = expression(line.word(2), draft.name);
        int next = 3;
        Optional<String> table = Optional.empty();
        if (next < line.size() && line.word(next).equals("table")) {
            if (next + 1 >= line.size()) {
                throw new ConfigException("'stick " + verb + "': missing table name");
            }
            table = Optional.of(line.word(next + 1));
            next += 2;
        }
        Optional<Condition> condition = Optional.empty();
        if (next < line.size()) {
            String keyword = line.word(next);
            if (!keyword.equals("if") && !keyword.equals("unless")) {
                throw new ConfigException("'stick " + verb + "': expects 'table', 'if' or 'unless' (got '" + keyword
                        + "')");
            }
            if (next + 1 >= line.size()) {
                throw new ConfigException("'stick " + verb + "': missing condition after '" + keyword + "'");
            }
            condition = Optional.of(new Condition(line.location(), keyword.equals("unless"), line.from(next + 1)));
        }
        draft.stick.stickRules.add(new StickRule(line.location(), verb, key, table, condition));
    }

    private static SampleExpression expression(String text, String proxy) throws ConfigException {
        try {
            return new AclCompiler(Path.of("").toAbsolutePath(), ProxyCatalog.ANY).sampleExpression(text, proxy);
        } catch (AclException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
