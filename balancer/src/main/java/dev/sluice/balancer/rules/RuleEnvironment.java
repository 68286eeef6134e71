package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.format.FormatCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What compiling a rule line needs from the configuration: where files named by {@code file}
 * resolve, the section's log-format compiler and sample parser, its ACLs for conditions, and the
 * stick tables {@code track-scN} may name, the pattern and map files rule actions may change, and the
 * {@code cache} sections {@code cache-use} and {@code cache-store} may name ({@code caches} answers
 * null for an undeclared one).
 */
public record RuleEnvironment(Path baseDirectory, FormatCompiler formats, Function<String, SampleExpression> samples,
                              ConditionCompiler conditions, Tables tables,
                              Function<String, dev.sluice.balancer.acl.PatternRef> patternFiles,
                              Function<String, dev.sluice.balancer.cache.ObjectCache> caches) {

    /**
     * Without pattern files for {@code add-acl(FILE)}, {@code set-map(FILE)}… (those actions are
     * refused) and without {@code cache} sections ({@code cache-use} and {@code cache-store} find none).
     */
    public RuleEnvironment(Path baseDirectory, FormatCompiler formats, Function<String, SampleExpression> samples,
                           ConditionCompiler conditions, Tables tables) {
        this(baseDirectory, formats, samples, conditions, tables, name -> {
            throw new RuleException("pattern files cannot be changed by rules here");
        }, name -> null);
    }

    /**
     * The stick tables a {@code track-scN} rule may name.
     *
     * @param proxy  the rule's own proxy, whose table is used without {@code table T}; null when unknown
     *               (then a rule must name its table)
     * @param exists whether a table of this name is declared ({@code ProxyCatalog.hasTable})
     */
    public record Tables(String proxy, Predicate<String> exists) {
        /** Accepts every table name; for tests that compile rules outside a configuration. */
        public static final Tables ANY = new Tables(null, name -> true);

        public Tables {
            Objects.requireNonNull(exists, "exists");
        }
    }

    /** Compiles {@code if|unless} words with the ACLs of the rule's section. */
    @FunctionalInterface
    public interface ConditionCompiler {
        Condition compile(boolean unless, List<String> words);
    }

    public RuleEnvironment {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(formats, "formats");
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(conditions, "conditions");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(patternFiles, "patternFiles");
        Objects.requireNonNull(caches, "caches");
    }

    /** Without stick tables known: {@code track-scN} must name its table, and any name is accepted. */
    public RuleEnvironment(Path baseDirectory, FormatCompiler formats, Function<String, SampleExpression> samples,
                           ConditionCompiler conditions) {
        this(baseDirectory, formats, samples, conditions, Tables.ANY);
    }
}
