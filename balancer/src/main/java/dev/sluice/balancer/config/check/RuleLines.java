package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.RuleLine;
import dev.sluice.balancer.format.AliasTable;
import dev.sluice.balancer.format.FormatCompiler;
import dev.sluice.balancer.rules.Rule;
import dev.sluice.balancer.rules.RuleEnvironment;
import dev.sluice.balancer.rules.RuleException;
import dev.sluice.balancer.rules.RuleParser;
import java.nio.file.Path;

/**
 * Compiles one section's {@code http-request}, {@code http-response} and {@code redirect} lines
 * with the ACLs defined above each (the caller feeds lines in file order).
 */
final class RuleLines {

    private final RuleParser parser;
    private final Proxy proxy;
    private final FormatCompiler formats;

    /** @param hasTable whether a stick table of this name is declared, for {@code track-scN} */
    RuleLines(AclCompiler compiler, AclScope scope, Proxy proxy, Path baseDirectory,
              java.util.function.Predicate<String> hasTable) {
        this(compiler, scope, proxy, baseDirectory, hasTable, name -> null);
    }

    /** @param caches the store of a {@code cache} section by name, null for an undeclared one */
    RuleLines(AclCompiler compiler, AclScope scope, Proxy proxy, Path baseDirectory,
              java.util.function.Predicate<String> hasTable,
              java.util.function.Function<String, dev.sluice.balancer.cache.ObjectCache> caches) {
        this.proxy = proxy;
        var samples = (java.util.function.Function<String, dev.sluice.balancer.acl.SampleExpression>)
                text -> compiler.sampleExpression(text, proxy.name());
        this.formats = FormatCompiler.forValues(AliasTable.STANDARD, samples);
        this.parser = new RuleParser(new RuleEnvironment(baseDirectory, formats, samples, scope::condition,
                new RuleEnvironment.Tables(proxy.name(), hasTable), compiler::patternFile, caches));
    }

    /** A log-format value of this section, such as a dynamic backend name. */
    dev.sluice.balancer.format.FormatString format(String text) {
        return formats.compile(text);
    }

    /** The compiled rule; throws {@link RuleException} or an ACL exception with the reason. */
    Rule compile(RuleLine line) {
        if (proxy.mode() != Mode.HTTP) {
            throw new RuleException("'" + line.keyword() + "' in " + proxy.describe() + " needs 'mode http' "
                    + "(HAProxy ignores it in mode tcp; tcp rules are not supported yet)");
        }
        RuleParser.Kind kind = switch (line.keyword()) {
            case "http-request" -> RuleParser.Kind.REQUEST;
            case "http-response" -> RuleParser.Kind.RESPONSE;
            case "http-after-response" -> RuleParser.Kind.AFTER_RESPONSE;
            default -> RuleParser.Kind.REDIRECT;
        };
        return parser.parse(kind, line.words(), line.location().toString());
    }
}
