package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.model.ServerOptions;
import dev.sluice.balancer.runtime.MarkedActions;
import dev.sluice.balancer.runtime.ServerObserve;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options after {@code server NAME ADDR:PORT} and {@code default-server}. Health-check settings and
 * {@code slowstart} become the server's {@code ServerHealth}; the {@code cookie} value and {@code maxqueue}
 * its {@code ServerPersistence}.
 */
final class ServerKeywords {

    @FunctionalInterface
    private interface Setter {
        void set(ServerDraft draft, String value) throws ConfigException;
    }

    private record Option(boolean takesValue, boolean serverOnly, Setter setter) {
    }

    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    static {
        value("weight", (d, v) -> d.weight = Units.integer(v, "'weight'", 0, ServerOptions.MAX_WEIGHT));
        value("maxconn", (d, v) -> d.maxconn = Units.integer(v, "'maxconn'", 0, Integer.MAX_VALUE));
        value("maxqueue", (d, v) -> d.maxqueue = Units.integer(v, "'maxqueue'", 0, Integer.MAX_VALUE));
        value("minconn", (d, v) -> d.minconn = Units.integer(v, "'minconn'", 0, Integer.MAX_VALUE));
        value("inter", (d, v) -> d.inter = positiveTime("inter", v));
        value("fastinter", (d, v) -> d.fastinter = Optional.of(positiveTime("fastinter", v)));
        value("downinter", (d, v) -> d.downinter = Optional.of(positiveTime("downinter", v)));
        value("rise", (d, v) -> d.rise = Units.integer(v, "'rise'", 1, Integer.MAX_VALUE));
        value("fall", (d, v) -> d.fall = Units.integer(v, "'fall'", 1, Integer.MAX_VALUE));
        value("port", (d, v) -> d.checkPort = Units.integer(v, "'port'", 1, 65_535));
        value("addr", (d, v) -> d.checkAddr = Optional.of(Addresses.network(v, "addr").address().getHostAddress()));
        value("cookie", (d, v) -> d.cookie = Optional.of(v));
        value("source", (d, v) -> d.source = SourceKeywords.address(v, "source"));
        value("slowstart", (d, v) -> d.slowstart = Optional.of(Units.time(v)));
        value("observe", (d, v) -> d.observe = new ServerObserve(observeLayer(v), d.observe.errorLimit(),
                d.observe.onError()));
        value("error-limit", (d, v) -> d.observe = new ServerObserve(d.observe.layer(), errorLimit(v),
                d.observe.onError()));
        value("on-error", (d, v) -> d.observe = new ServerObserve(d.observe.layer(), d.observe.errorLimit(),
                onError(v)));
        value("on-marked-down", (d, v) -> d.marked = new MarkedActions(onMarked(v, "on-marked-down",
                "shutdown-sessions"), d.marked.upShutsBackupSessions()));
        value("on-marked-up", (d, v) -> d.marked = new MarkedActions(d.marked.downShutsSessions(),
                onMarked(v, "on-marked-up", "shutdown-backup-sessions")));
        OPTIONS.put("id", new Option(true, true, (d, v) -> d.id = Units.integer(v, "'id'", 1, Integer.MAX_VALUE)));
        // track [BACKEND/]SERVER and the agent-* settings: see AgentKeywords.
        OPTIONS.put("track", new Option(true, true, AgentKeywords::track));
        AgentKeywords.VALUES.forEach((name, setter) -> value(name, setter::set));
        flag("agent-check", d -> d.sources = AgentKeywords.agent(d, true));
        flag("no-agent-check", d -> d.sources = AgentKeywords.agent(d, false));
        flag("check", d -> d.check = true);
        flag("no-check", d -> d.check = false);
        flag("backup", d -> d.backup = true);
        flag("no-backup", d -> d.backup = false);
        flag("disabled", d -> d.disabled = true);
        flag("enabled", d -> d.disabled = false);
        ConnectionKeywords.FLAGS.forEach((name, setter) -> flag(name, d -> setter.accept(d.connections)));
        ConnectionKeywords.VALUES.forEach((name, setter) -> value(name, (d, v) -> setter.set(d.connections, v)));
        ServerTlsKeywords.FLAGS.forEach((name, setter) -> flag(name, d -> setter.accept(d.tls)));
        ServerTlsKeywords.VALUES.forEach((name, setter) -> value(name, (d, v) -> setter.set(d.tls, v)));
        ResolutionKeywords.VALUES.forEach((name, setter) ->
                value(name, (d, v) -> d.resolution = setter.set(d.resolution, v)));
    }

    private ServerKeywords() {
    }

    private static void value(String name, Setter setter) {
        OPTIONS.put(name, new Option(true, false, setter));
    }

    private static void flag(String name, java.util.function.Consumer<ServerDraft> setter) {
        OPTIONS.put(name, new Option(false, false, (d, v) -> setter.accept(d)));
    }

    /** HAProxy knows one action for each of on-marked-down and on-marked-up. */
    private static boolean onMarked(String value, String keyword, String action) throws ConfigException {
        if (!value.equals(action)) {
            throw new ConfigException("'" + keyword + "' expects '" + action + "' but got '" + value + "'");
        }
        return true;
    }

    private static ServerObserve.Layer observeLayer(String value) throws ConfigException {
        return switch (value) {
            case "none" -> ServerObserve.Layer.NONE;
            case "layer4" -> ServerObserve.Layer.LAYER4;
            case "layer7" -> ServerObserve.Layer.LAYER7;
            default -> throw new ConfigException("'observe' expects one of 'none', 'layer4', 'layer7' but got '"
                    + value + "'");
        };
    }

    private static int errorLimit(String value) throws ConfigException {
        int limit = Units.integer(value, "'error-limit'", 0, Integer.MAX_VALUE);
        if (limit < 1) {
            throw new ConfigException("'error-limit' has to be > 0 (got " + value + ")");
        }
        return limit;
    }

    private static ServerObserve.OnError onError(String value) throws ConfigException {
        ServerObserve.OnError action = ServerObserve.OnError.of(value);
        if (action == null) {
            throw new ConfigException("'on-error' expects one of 'fastinter', 'fail-check', 'sudden-death' or "
                    + "'mark-down' but got '" + value + "'");
        }
        return action;
    }

    private static Duration positiveTime(String name, String value) throws ConfigException {
        Duration time = Units.time(value);
        if (time.isZero()) {
            throw new ConfigException("'" + name + "' must be greater than zero (got '" + value + "')");
        }
        return time;
    }

    /**
     * Applies {@code words} (the options only) to {@code draft}; {@code who} names the line in messages
     * ({@code server b/s}, {@code default-server}).
     */
    static void apply(List<String> words, ServerDraft draft, String who, boolean defaultServer) throws ConfigException {
        for (int i = 0; i < words.size(); i++) {
            String name = words.get(i);
            Option option = OPTIONS.get(name);
            if (option == null || (defaultServer && option.serverOnly)) {
                throw new ConfigException(refusal(name, who, defaultServer));
            }
            String value = null;
            if (option.takesValue) {
                if (i + 1 >= words.size()) {
                    throw new ConfigException("'" + who + "': '" + name + "' expects an argument");
                }
                value = words.get(++i);
            }
            try {
                option.setter.set(draft, value);
            } catch (ConfigException e) {
                throw new ConfigException("'" + who + "': " + e.getMessage());
            }
        }
    }

    private static String refusal(String name, String who, boolean defaultServer) {
        if (defaultServer && name.equals("id")) {
            return "'" + who + "': 'id' is not allowed in 'default-server' (each server needs its own)";
        }
        String reason = Unsupported.SERVER.get(name);
        if (reason != null) {
            return "'" + who + "': '" + name + "' is not supported yet (" + reason + ")";
        }
        String close = Suggestions.closest(name, OPTIONS.keySet(), Unsupported.SERVER.keySet());
        return "'" + who + "': unknown keyword '" + name + "'" + (close == null ? "" : "; did you mean '" + close + "'?");
    }
}
