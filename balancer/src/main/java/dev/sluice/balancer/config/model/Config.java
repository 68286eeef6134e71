package dev.sluice.balancer.config.model;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole configuration (every {@code -f} file together), after parsing and the semantic checks.
 *
 * @param conditions the compiled condition of every conditional {@code use_backend}, by its line
 * @param rules      the compiled rule of every {@code http-request}, {@code http-response} and {@code redirect}
 *                   line, and the name format of every dynamic {@code use_backend}
 * @param peers      the {@code peers} sections this process takes part in
 */
public record Config(Global global, List<Proxy> proxies, Map<SourceLocation, Condition> conditions,
                     CompiledRules rules, PeersConfig peers) {

    /** A configuration without peers sections. */
    public Config(Global global, List<Proxy> proxies, Map<SourceLocation, Condition> conditions,
                  CompiledRules rules) {
        this(global, proxies, conditions, rules, PeersConfig.NONE);
    }

    /** A configuration without HTTP rules. */
    public Config(Global global, List<Proxy> proxies, Map<SourceLocation, Condition> conditions) {
        this(global, proxies, conditions, CompiledRules.NONE);
    }

    public Config {
        Objects.requireNonNull(global, "global");
        proxies = List.copyOf(proxies);
        conditions = Map.copyOf(conditions);
        java.util.Objects.requireNonNull(rules, "rules");
        java.util.Objects.requireNonNull(peers, "peers");
        for (Proxy proxy : proxies) {
            for (BackendRef rule : proxy.useBackends()) {
                if (rule.condition().isPresent() && !conditions.containsKey(rule.location())) {
                    throw new IllegalArgumentException("conditions: none compiled for 'use_backend "
                            + rule.backend() + "' at " + rule.location());
                }
            }
        }
    }

    /** The compiled rule of a rule line; every line of a valid configuration has one. */
    public dev.sluice.balancer.rules.Rule rule(RuleLine line) {
        var rule = rules.rules().get(line.location());
        if (rule == null) {
            throw new IllegalArgumentException("rules: none compiled for '" + line.keyword() + "' at " + line.location());
        }
        return rule;
    }

    /** The name format of a dynamic {@code use_backend} (its name has a {@code %}), else null. */
    public dev.sluice.balancer.format.FormatString backendName(BackendRef rule) {
        return rules.backendNames().get(rule.location());
    }

    /** The compiled {@code log-format} of a frontend whose format is {@link LogFormat#CUSTOM}, else null. */
    public dev.sluice.balancer.log.LineFormat logFormat(Proxy frontend) {
        return rules.logFormats().get(frontend.location());
    }

    /** A frontend's compiled unique id, structured data and error formats and log options ({@code NONE} when unset). */
    public dev.sluice.balancer.log.LogExtrasPlan logExtras(Proxy frontend) {
        return rules.logExtras().getOrDefault(frontend.location(), dev.sluice.balancer.log.LogExtrasPlan.NONE);
    }

    /** The compiled condition of a {@code use_backend} rule, or null when it has none. */
    public Condition condition(BackendRef rule) {
        return rule.condition().isPresent() ? conditions.get(rule.location()) : null;
    }

    public List<Proxy> frontends() {
        return proxies.stream().filter(Proxy::isFrontend).toList();
    }

    public List<Proxy> backends() {
        return proxies.stream().filter(Proxy::isBackend).toList();
    }

    /** The proxy with backend capability called {@code name}. */
    public Optional<Proxy> backend(String name) {
        return proxies.stream().filter(p -> p.isBackend() && p.name().equals(name)).findFirst();
    }
}
