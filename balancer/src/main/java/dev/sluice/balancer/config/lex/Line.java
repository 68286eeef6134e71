package dev.sluice.balancer.config.lex;

import dev.sluice.balancer.config.SourceLocation;
import java.util.List;
import java.util.Objects;

/**
 * One configuration line split into words after quoting, escapes and environment expansion.
 * HAProxy 2.6 has no continuation lines, so every word of a line shares the line's location.
 */
public record Line(SourceLocation location, List<String> words) {

    public Line {
        Objects.requireNonNull(location, "location");
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("words: empty (expected: at least the keyword)");
        }
    }

    public String keyword() {
        return words.get(0);
    }

    /** The words after the keyword. */
    public List<String> args() {
        return words.subList(1, words.size());
    }

    /** The words from {@code index} on (0 is the keyword). */
    public List<String> from(int index) {
        return words.subList(Math.min(index, words.size()), words.size());
    }

    public String word(int index) {
        return index < words.size() ? words.get(index) : null;
    }

    public int size() {
        return words.size();
    }
}
