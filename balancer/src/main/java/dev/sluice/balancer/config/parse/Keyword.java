package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import java.util.Objects;
import java.util.Set;

/**
 * One registered keyword: its name, how many arguments it takes, where it may appear and the
 * parser that stores it into the draft of type {@code T}.
 *
 * @param words     how many words form the keyword itself ({@code timeout client} is 2)
 * @param minArgs   fewest arguments after the keyword's words
 * @param maxArgs   most arguments, {@link #ANY} for a variable list parsed by the handler
 * @param misplaced what happens when a proxy lacks the capability (HAProxy warns for most keywords)
 */
record Keyword<T>(String name, int words, int minArgs, int maxArgs, Set<Scope> scopes, Misplaced misplaced,
                  Handler<T> handler) {

    static final int ANY = Integer.MAX_VALUE;

    enum Misplaced { WARN, ALERT }

    @FunctionalInterface
    interface Handler<T> {
        void apply(Line line, T target, Diagnostics diagnostics) throws ConfigException;
    }

    Keyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(misplaced, "misplaced");
        Objects.requireNonNull(handler, "handler");
        if (words < 1 || minArgs < 0 || maxArgs < minArgs) {
            throw new IllegalArgumentException(name + ": arity " + words + "/" + minArgs + ".." + maxArgs);
        }
    }

    /** Checks the argument count against the line; messages follow HAProxy's wording. */
    void checkArity(Line line) throws ConfigException {
        int args = line.size() - words;
        if (args < minArgs) {
            throw new ConfigException("'" + name + "' expects " + (minArgs == maxArgs ? "" : "at least ") + minArgs
                    + " argument" + (minArgs == 1 ? "" : "s") + " (got " + Math.max(args, 0) + ")");
        }
        if (args > maxArgs) {
            throw new ConfigException("'" + name + "' cannot handle unexpected argument '"
                    + line.word(words + maxArgs) + "'");
        }
    }
}
