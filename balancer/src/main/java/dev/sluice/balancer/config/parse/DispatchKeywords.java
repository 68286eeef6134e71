package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.DispatchLines;
import dev.sluice.balancer.dispatch.RetryOn;

/**
 * {@code retry-on}, {@code use-server}, {@code force-persist}, {@code ignore-persist} and the
 * interval of {@code option redispatch}, with HAProxy 2.6's messages.
 */
final class DispatchKeywords {

    private DispatchKeywords() {
    }

    static void retryOn(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        try {
            // A later line replaces an earlier one (HAProxy: "not cumulative").
            draft.retryOn = RetryOn.parse(line.from(1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** {@code use-server NAME if|unless COND}; the server is looked up once the section is complete. */
    static void useServer(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        Names.check(line.word(1), "server name");
        if (line.word(1).indexOf('%') >= 0) {
            throw new ConfigException("'use-server " + line.word(1) + "': a log-format server name is not "
                    + "supported yet (name the server)");
        }
        draft.dispatchRules.add(new DispatchLines.Line(line.location(), DispatchLines.Kind.USE_SERVER, line.word(1),
                condition(line, 2)));
    }

    /** {@code force-persist if|unless COND} and {@code ignore-persist if|unless COND}. */
    static void persistRule(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        DispatchLines.Kind kind = line.word(0).equals("force-persist") ? DispatchLines.Kind.FORCE_PERSIST
                : DispatchLines.Kind.IGNORE_PERSIST;
        draft.dispatchRules.add(new DispatchLines.Line(line.location(), kind, null, condition(line, 1)));
    }

    /** The {@code if|unless COND} at word {@code at}, which these keywords require. */
    private static Condition condition(Line line, int at) throws ConfigException {
        if (line.size() < at + 2 || !(line.word(at).equals("if") || line.word(at).equals("unless"))) {
            throw new ConfigException("'" + line.word(0) + "' requires either 'if' or 'unless' followed by a "
                    + "condition.");
        }
        return new Condition(line.location(), line.word(at).equals("unless"), line.from(at + 1));
    }

    /** N of {@code option redispatch N}; HAProxy reads any text as a number (atoi), sluice refuses non-numbers. */
    static int redispatchInterval(String word) throws ConfigException {
        try {
            return Integer.parseInt(word);
        } catch (NumberFormatException e) {
            throw new ConfigException("'option redispatch' expects an integer interval (got '" + word + "')");
        }
    }
}
