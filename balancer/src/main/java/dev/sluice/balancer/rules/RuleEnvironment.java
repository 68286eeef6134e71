package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.format.FormatCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What compiling a rule line needs from the configuration: where files named by {@code file}
 * resolve, the section's log-format compiler and sample parser, and its ACLs for conditions.
 */
public record RuleEnvironment(Path baseDirectory, FormatCompiler formats, Function<String, SampleExpression> samples,
                              ConditionCompiler conditions) {

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
    }
}
