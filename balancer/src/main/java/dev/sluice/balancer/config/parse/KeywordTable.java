package dev.sluice.balancer.config.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The keywords of one configuration area, registered by name, with HAProxy's well-known ones we refuse. */
final class KeywordTable<T> {

    private final String area;
    private final Map<String, Keyword<T>> keywords = new LinkedHashMap<>();
    private final Map<String, String> unsupported;
    private final Map<String, String> removed;

    KeywordTable(String area, Map<String, String> unsupported) {
        this(area, unsupported, Map.of());
    }

    /** @param removed keywords HAProxy itself dropped, with its advice ({@link Removed}) */
    KeywordTable(String area, Map<String, String> unsupported, Map<String, String> removed) {
        this.area = area;
        this.unsupported = Map.copyOf(unsupported);
        this.removed = Map.copyOf(removed);
    }

    KeywordTable<T> add(String name, int minArgs, int maxArgs, Set<Scope> scopes, Keyword.Handler<T> handler) {
        return add(new Keyword<>(name, name.split(" ").length, minArgs, maxArgs, scopes, Keyword.Misplaced.WARN,
                handler));
    }

    KeywordTable<T> add(Keyword<T> keyword) {
        if (keywords.putIfAbsent(keyword.name(), keyword) != null) {
            throw new IllegalStateException(area + ": '" + keyword.name() + "' registered twice");
        }
        return this;
    }

    Keyword<T> get(String name) {
        return keywords.get(name);
    }

    /**
     * The message for a keyword that is not registered: HAProxy's advice for one it dropped, "not
     * supported yet" for HAProxy keywords we know, "unknown" with a close match otherwise.
     */
    String refusal(String name, String where) {
        String advice = removed.get(name);
        if (advice != null) {
            return "'" + name + "' is " + advice + ".";
        }
        String reason = unsupported.get(name);
        if (reason != null) {
            return "'" + name + "' in " + where + " is not supported yet (" + reason + ")";
        }
        String close = Suggestions.closest(name, keywords.keySet(), unsupported.keySet());
        return "unknown keyword '" + name + "' in " + where + (close == null ? "" : "; did you mean '" + close + "'?");
    }
}
