package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * A map file ({@code map(FILE)}): one key and value a line, the key being the first word and the
 * value the rest of the line, trimmed. Exact keys are hashed (O(1)); {@code beg} returns the value
 * of the longest matching prefix, as HAProxy's prefix tree does; the other methods scan the keys in
 * file order and return the first match, as HAProxy's lists do.
 */
final class MapFile {

    private final MatchMethod method;
    private final StringTable<String> exact;
    private final String[] keys;
    private final String[] values;

    private MapFile(MatchMethod method, List<String> keys, List<String> values) {
        this.method = method;
        this.exact = method == MatchMethod.STR ? new StringTable<>(keys, values, false) : null;
        this.keys = keys.toArray(new String[0]);
        this.values = values.toArray(new String[0]);
    }

    static MapFile load(PatternFiles files, String name, MatchMethod method) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (PatternFiles.Entry e : files.read(name)) {
            String line = e.text();
            int end = 0;
            while (end < line.length() && !Text.isSpace(line.charAt(end))) {
                end++;
            }
            String key = line.substring(0, end);
            String value = line.substring(end).strip();
            keys.add(method == MatchMethod.DIR || method == MatchMethod.DOM
                    ? Text.stripDelimiters(key, method == MatchMethod.DOM) : key);
            values.add(value);
        }
        return new MapFile(method, keys, values);
    }

    /** The value for s[from, to), or null. */
    String lookup(CharSequence s, int from, int to) {
        if (exact != null) {
            return exact.get(s, from, to);
        }
        int best = -1;
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            boolean hit = switch (method) {
                case BEG -> Text.startsWith(s, from, to, k, false);
                case END -> Text.endsWith(s, from, to, k, false);
                case SUB -> Text.indexOf(s, from, to, k, false) >= 0;
                case DIR -> Text.containsWord(s, from, to, k, false, false);
                case DOM -> Text.containsWord(s, from, to, k, false, true);
                default -> false;
            };
            if (hit) {
                if (method != MatchMethod.BEG) {
                    return values[i];
                }
                if (best < 0 || k.length() > keys[best].length()) {
                    best = i;
                }
            }
        }
        return best < 0 ? null : values[best];
    }
}
