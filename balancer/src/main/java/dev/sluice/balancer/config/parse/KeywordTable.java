package dev.sluice.balancer.config.parse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The keywords of one configuration area, registered by name, with HAProxy's well-known ones we refuse. */
final class KeywordTable<T> {

    private final String area;
    private final Map<String, Keyword<T>> keywords = new LinkedHashMap<>();
    private final Map<String, String> unsupported;

    KeywordTable(String area, Map<String, String> unsupported) {
        this.area = area;
        this.unsupported = Map.copyOf(unsupported);
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
     * The message for a keyword that is not registered: "not supported yet" for HAProxy keywords we
     * know, "unknown" with a close match otherwise.
     */
    String refusal(String name, String where) {
        String reason = unsupported.get(name);
        if (reason != null) {
            return "'" + name + "' in " + where + " is not supported yet (" + reason + ")";
        }
        String close = Suggestions.closest(name, keywords.keySet(), unsupported.keySet());
        return "unknown keyword '" + name + "' in " + where + (close == null ? "" : "; did you mean '" + close + "'?");
    }
}
