package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.runtime.HealthSources;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server keywords {@code track} and {@code agent-check}, {@code agent-port}, {@code agent-inter}, {@code agent-addr}, {@code agent-send}. */
final class AgentKeywords {

    /** A server keyword with a value. */
    @FunctionalInterface
    interface Setter {
        void set(ServerDraft draft, String value) throws ConfigException;
    }

    static final Map<String, Setter> VALUES = new LinkedHashMap<>();

    static {
        VALUES.put("agent-port", (d, v) -> d.sources = with(d, agent(d).enabled(),
                Units.integer(v, "'agent-port'", 1, 65_535), agent(d).inter(), agent(d).address(), agent(d).send()));
        VALUES.put("agent-inter", (d, v) -> {
            Duration inter = Units.time(v);
            if (inter.isZero()) {
                throw new ConfigException("'agent-inter' must be greater than zero (got '" + v + "')");
            }
            d.sources = with(d, agent(d).enabled(), agent(d).port(), inter, agent(d).address(), agent(d).send());
        });
        VALUES.put("agent-addr", (d, v) -> d.sources = with(d, agent(d).enabled(), agent(d).port(), agent(d).inter(),
                address(v), agent(d).send()));
        VALUES.put("agent-send", (d, v) -> d.sources = with(d, agent(d).enabled(), agent(d).port(), agent(d).inter(),
                agent(d).address(), v));
    }

    private AgentKeywords() {
    }

    static void track(ServerDraft draft, String value) throws ConfigException {
        int slash = value.indexOf('/');
        if (value.isEmpty() || slash == 0 || slash == value.length() - 1) {
            throw new ConfigException("'track' expects [<proxy>/]<server> as argument.");
        }
        HealthSources.Track track = slash < 0 ? new HealthSources.Track(null, value)
                : new HealthSources.Track(value.substring(0, slash), value.substring(slash + 1));
        draft.sources = new HealthSources(track, draft.sources.agent());
    }

    static HealthSources agent(ServerDraft draft, boolean enabled) {
        HealthSources.Agent a = agent(draft);
        return with(draft, enabled, a.port(), a.inter(), a.address(), a.send());
    }

    private static HealthSources.Agent agent(ServerDraft draft) {
        return draft.sources.agent();
    }

    private static HealthSources with(ServerDraft draft, boolean enabled, int port, Duration inter,
                                      InetAddress address, String send) {
        return new HealthSources(draft.sources.track(), new HealthSources.Agent(enabled, port, inter, address, send));
    }

    private static InetAddress address(String literal) throws ConfigException {
        try {
            return InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'agent-addr' expects an IP address (names are not resolved), got '" + literal
                    + "'");
        }
    }
}
