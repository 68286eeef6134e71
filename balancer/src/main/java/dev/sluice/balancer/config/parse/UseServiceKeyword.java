package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.StatsSettings;
import java.util.Optional;

/**
 * {@code http-request use-service prometheus-exporter [if|unless COND]}: the {@code http-request}
 * rule parser hands this action here, because services are answered by the stats part of the
 * exchange (after the request rules and routing), not by the rule engine.
 */
final class UseServiceKeyword {
    static final String PROMETHEUS = "prometheus-exporter";

    private UseServiceKeyword() {
    }

    static void apply(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.size() < 3) {
            throw new ConfigException("'http-request use-service' expects a service name");
        }
        String service = line.word(2);
        if (!service.equals(PROMETHEUS)) {
            throw new ConfigException("'http-request use-service': unknown service '" + service
                    + "' (expected: " + PROMETHEUS + ")");
        }
        Optional<Condition> condition = Optional.empty();
        if (line.size() > 3) {
            String keyword = line.word(3);
            if (!keyword.equals("if") && !keyword.equals("unless")) {
                throw new ConfigException("'http-request use-service " + service + "' expects 'if' or 'unless' "
                        + "(got '" + keyword + "')");
            }
            if (line.size() == 4) {
                throw new ConfigException("'http-request use-service " + service + "': missing condition after '"
                        + keyword + "'");
            }
            condition = Optional.of(new Condition(line.location(), keyword.equals("unless"), line.from(4)));
        }
        draft.stats.services.add(new StatsSettings.ServiceLine(line.location(), service, condition));
    }
}
