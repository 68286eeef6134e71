package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;

/**
 * {@code setenv NAME VALUE}, {@code presetenv NAME VALUE}, {@code resetenv [NAME…]} and
 * {@code unsetenv NAME…} in {@code global}: they change what {@code "${NAME}"} expands to on the
 * lines after them. Their argument checks and alert texts are HAProxy 2.6's; like HAProxy, words
 * after a value are not used, and we say so.
 */
final class EnvironmentKeywords {

    private EnvironmentKeywords() {
    }

    static KeywordTable<GlobalDraft> register(KeywordTable<GlobalDraft> table) {
        return table
                .add("setenv", 0, Keyword.ANY, Scope.ALL, (line, global, diagnostics) -> {
                    check(line, diagnostics);
                    global.environment.set(line.word(1), line.word(2));
                })
                .add("presetenv", 0, Keyword.ANY, Scope.ALL, (line, global, diagnostics) -> {
                    check(line, diagnostics);
                    global.environment.preset(line.word(1), line.word(2));
                })
                .add("resetenv", 0, Keyword.ANY, Scope.ALL, (line, global, diagnostics) ->
                        global.environment.reset(line.args()))
                .add("unsetenv", 0, Keyword.ANY, Scope.ALL, (line, global, diagnostics) -> {
                    if (line.args().isEmpty()) {
                        throw new ConfigException("'unsetenv' expects at least one variable name.");
                    }
                    global.environment.unset(line.args());
                });
    }

    private static void check(Line line, Diagnostics diagnostics) throws ConfigException {
        if (line.args().size() < 2) {
            throw new ConfigException("'" + line.keyword() + "' expects a name and a value.");
        }
        if (line.args().size() > 2) {
            diagnostics.warning(line.location(), "'" + line.keyword() + "' uses only its first two words; '"
                    + String.join(" ", line.from(3)) + "' is ignored (quote a value that holds blanks)");
        }
    }
}
