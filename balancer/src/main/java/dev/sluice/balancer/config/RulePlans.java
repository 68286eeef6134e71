package dev.sluice.balancer.config;

import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.RuleLine;
import dev.sluice.balancer.rules.HttpRules;
import dev.sluice.balancer.rules.Rule;
import dev.sluice.balancer.rules.RuleSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A section's compiled rule lines in HAProxy's evaluation order. */
final class RulePlans {

    private RulePlans() {
    }

    /** The request, redirect and response rules, each in file order; NONE when there are none. */
    static HttpRules of(Proxy proxy, Config config) {
        List<RuleLine> lines = proxy.rules().lines();
        Duration tarpit = proxy.rules().tarpit().orElse(Duration.ZERO);
        if (lines.isEmpty()) {
            return tarpit.isZero() ? HttpRules.NONE : new HttpRules(RuleSet.EMPTY, RuleSet.EMPTY, RuleSet.EMPTY, tarpit);
        }
        List<Rule> request = new ArrayList<>();
        List<Rule> redirects = new ArrayList<>();
        List<Rule> response = new ArrayList<>();
        List<Rule> afterResponse = new ArrayList<>();
        for (RuleLine line : lines) {
            Rule rule = config.rule(line);
            switch (line.keyword()) {
                case "http-request" -> request.add(rule);
                case "redirect" -> redirects.add(rule);
                case "http-after-response" -> afterResponse.add(rule);
                default -> response.add(rule);
            }
        }
        return new HttpRules(new RuleSet(request), new RuleSet(redirects), new RuleSet(response), tarpit,
                new RuleSet(afterResponse));
    }
}
