package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.format.FormatString;
import dev.sluice.balancer.rules.Rule;
import java.util.Map;

/**
 * What the rules pass compiled, by the location of the line: every {@code http-request},
 * {@code http-response} and {@code redirect} rule, and the name format of every dynamic
 * {@code use_backend %[…]}.
 */
public record CompiledRules(Map<SourceLocation, Rule> rules, Map<SourceLocation, FormatString> backendNames) {

    public static final CompiledRules NONE = new CompiledRules(Map.of(), Map.of());

    public CompiledRules {
        rules = Map.copyOf(rules);
        backendNames = Map.copyOf(backendNames);
    }
}
