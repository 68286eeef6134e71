package dev.sluice.balancer.acl;

import java.util.List;

/**
 * An immutable hash table from strings to values, looked up with a character range so that a
 * header or a path is compared where it lies: O(1) expected per lookup whatever the number of
 * patterns, no allocation. Open addressing with linear probing, at most half full. With
 * {@code ignoreCase} keys and lookups are folded to ASCII lower case. The first value given for a
 * key wins, as the first line of an HAProxy map wins.
 */
final class StringTable<V> {

    private final boolean ignoreCase;
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    StringTable(List<String> keyList, List<V> valueList, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        int capacity = Integer.highestOneBit(Math.max(4, keyList.size() * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        for (int i = 0; i < keyList.size(); i++) {
            String key = keyList.get(i);
            int slot = hash(key, 0, key.length()) & mask;
            while (keys[slot] != null && !Text.equals(keys[slot], 0, keys[slot].length(), key, ignoreCase)) {
                slot = (slot + 1) & mask;
            }
            if (keys[slot] == null) {
                keys[slot] = key;
                values[slot] = valueList.get(i);
            }
        }
    }

    private int hash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + (ignoreCase ? Text.fold(s.charAt(i)) : s.charAt(i));
        }
        return h ^ (h >>> 16);
    }

    /** The value stored for s[from, to), or null. */
    @SuppressWarnings("unchecked")
    V get(CharSequence s, int from, int to) {
        int slot = hash(s, from, to) & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (Text.equals(s, from, to, key, ignoreCase)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }
}
