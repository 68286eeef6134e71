package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.format.FormatString;
import dev.sluice.balancer.rules.Rule;
import java.util.Map;

/**
 * What the rules pass compiled, by the location of the line: every {@code http-request},
 * {@code http-response} and {@code redirect} rule, and the name format of every dynamic
 * {@code use_backend %[…]}; and every frontend's own {@code log-format}, by the location of the
 * frontend (sections inherit one line from their defaults, each compiles it with its own ACLs);
 * and every frontend's unique id, structured data and error line formats with its log options,
 * by the location of the frontend too; and the pattern and map lists all of these were compiled
 * with, which the runtime API may change.
 */
public record CompiledRules(Map<SourceLocation, Rule> rules, Map<SourceLocation, FormatString> backendNames,
                            Map<SourceLocation, dev.sluice.balancer.log.LineFormat> logFormats,
                            Map<SourceLocation, dev.sluice.balancer.log.LogExtrasPlan> logExtras,
                            dev.sluice.balancer.acl.PatternRefs patterns,
                            Map<String, dev.sluice.balancer.cache.ObjectCache> caches) {

    /** Without {@code cache} sections (the rules naming one compile against their stores). */
    public CompiledRules(Map<SourceLocation, Rule> rules, Map<SourceLocation, FormatString> backendNames,
                         Map<SourceLocation, dev.sluice.balancer.log.LineFormat> logFormats,
                         Map<SourceLocation, dev.sluice.balancer.log.LogExtrasPlan> logExtras,
                         dev.sluice.balancer.acl.PatternRefs patterns) {
        this(rules, backendNames, logFormats, logExtras, patterns, Map.of());
    }

    public CompiledRules(Map<SourceLocation, Rule> rules, Map<SourceLocation, FormatString> backendNames,
                         Map<SourceLocation, dev.sluice.balancer.log.LineFormat> logFormats,
                         Map<SourceLocation, dev.sluice.balancer.log.LogExtrasPlan> logExtras) {
        this(rules, backendNames, logFormats, logExtras, dev.sluice.balancer.acl.PatternRefs.none());
    }

    public CompiledRules(Map<SourceLocation, Rule> rules, Map<SourceLocation, FormatString> backendNames,
                         Map<SourceLocation, dev.sluice.balancer.log.LineFormat> logFormats) {
        this(rules, backendNames, logFormats, Map.of());
    }

    public static final CompiledRules NONE = new CompiledRules(Map.of(), Map.of());

    public CompiledRules(Map<SourceLocation, Rule> rules, Map<SourceLocation, FormatString> backendNames) {
        this(rules, backendNames, Map.of());
    }

    public CompiledRules {
        rules = Map.copyOf(rules);
        backendNames = Map.copyOf(backendNames);
        logFormats = Map.copyOf(logFormats);
        logExtras = Map.copyOf(logExtras);
        java.util.Objects.requireNonNull(patterns, "patterns");
        caches = Map.copyOf(caches);
    }
}
