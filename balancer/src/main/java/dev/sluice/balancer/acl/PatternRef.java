package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * A list of patterns (or map entries) the runtime API can change: what one pattern or map file
 * holds, shared by every ACL and map converter that names the file, or the patterns written on one
 * ACL line. Each ACL or map built from it is a {@link User}: a change is checked by every user
 * first (nothing changes when one refuses it), then every user rebuilds its lookup structure from
 * the new list and publishes it at once; lookups never wait.
 *
 * <p>Changes come from runtime API sessions on any event loop, so they are serialized here.
 * Reloading the configuration reads the files again: runtime changes do not survive it, as in
 * HAProxy.
 */
public final class PatternRef {

    /**
     * One entry: its reference (unique in the process, what {@code #0x…} names), the key (first
     * word), the value (the rest, trimmed) and the whole text, which an ACL without {@code -M}
     * takes as its pattern.
     */
    public record Entry(long id, String key, String value, String text, int line) {

        /** The first word and the rest of a line, as pattern and map files are read. */
        static Entry of(long id, String text, int line) {
            int end = 0;
            while (end < text.length() && !Text.isSpace(text.charAt(end))) {
                end++;
            }
            return new Entry(id, text.substring(0, end), text.substring(end).strip(), text, line);
        }

        /** The reference as the runtime API prints it. */
        public String reference() {
            return String.format("0x%012x", id);
        }
    }

    /** An ACL or a map converter built from the entries. */
    interface User {
        /** Throws {@link AclException} with the reason when the entry cannot be used. */
        void check(Entry entry);

        /** Builds the lookup structure of {@code entries} and publishes it. */
        void rebuild(List<Entry> entries);

        /** Whether this user is a map (otherwise an ACL). */
        boolean map();

        /** The runtime API's {@code get map|acl} line for {@code sample}. */
        String describe(String sample);
    }

    private final int id;
    private final String file;
    private final String description;
    private final LongSupplier ids;
    private final List<User> users = new CopyOnWriteArrayList<>();
    private final List<String> uses = new CopyOnWriteArrayList<>();
    /** One lock for every list of a configuration: an ACL built from two lists rebuilds from both. */
    private final Object changes;
    private volatile List<Entry> entries;
    /** The keys of {@link #entries}, so that rule actions find out cheaply that nothing is to change. */
    private volatile java.util.Set<String> keys;

    PatternRef(int id, String file, String description, List<Entry> entries, LongSupplier ids, Object changes) {
        this.changes = changes;
        this.id = id;
        this.file = file;
        this.description = description;
        this.entries = List.copyOf(entries);
        this.keys = keysOf(this.entries);
        this.ids = ids;
    }

    public int id() {
        return id;
    }

    /** The file's name as the configuration gives it, or "" for the patterns of one ACL line. */
    public String file() {
        return file;
    }

    /** HAProxy's description: for a file, where it was loaded and every line using it. */
    public String description() {
        return uses.isEmpty() ? description : description + " " + String.join(", ", uses) + ".";
    }

    /** One more configuration line uses this file ({@code by map at file 'F' line N}); at load time only. */
    void usedAt(String use) {
        uses.add(use);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Whether an ACL uses these patterns ({@code show acl}). */
    public boolean usedByAcl() {
        return users.stream().anyMatch(u -> !u.map());
    }

    /** Whether a map converter uses these entries ({@code show map}). */
    public boolean usedByMap() {
        return users.stream().anyMatch(User::map);
    }

    void attach(User user) {
        users.add(user);
    }

    /** The {@code get map|acl} line of the first user of that kind. */
    public String describe(boolean map, String sample) {
        for (User user : users) {
            if (user.map() == map) {
                return user.describe(sample);
            }
        }
        return "";
    }

    /** Appends an entry; returns the reason it was refused, or null. */
    public String add(String text) {
        synchronized (changes) {
            Entry entry = Entry.of(ids.getAsLong(), text, 0);
            String refusal = check(entry);
            if (refusal != null) {
                return refusal;
            }
            List<Entry> next = new ArrayList<>(entries);
            next.add(entry);
            publish(next);
            return null;
        }
    }

    /**
     * Gives {@code value} to every entry whose key is {@code key}, or to the entry {@code #0x…};
     * returns how many changed, or -1 with nothing changed when a user refuses the value.
     */
    public int set(String keyOrReference, String value) {
        synchronized (changes) {
            List<Entry> next = new ArrayList<>(entries);
            int changed = 0;
            for (int i = 0; i < next.size(); i++) {
                Entry e = next.get(i);
                if (names(e, keyOrReference)) {
                    Entry updated = new Entry(e.id(), e.key(), value, e.key() + " " + value, e.line());
                    if (check(updated) != null) {
                        return -1;
                    }
                    next.set(i, updated);
                    changed++;
                }
            }
            if (changed > 0) {
                publish(next);
            }
            return changed;
        }
    }

    /** Removes every entry whose key (or whole text, for ACL patterns) is {@code key}, or the entry {@code #0x…}. */
    public int delete(String keyOrReference) {
        synchronized (changes) {
            List<Entry> next = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                if (!names(e, keyOrReference) && !e.text().equals(keyOrReference)) {
                    next.add(e);
                }
            }
            int removed = entries.size() - next.size();
            if (removed > 0) {
                publish(next);
            }
            return removed;
        }
    }

    public void clear() {
        synchronized (changes) {
            publish(List.of());
        }
    }

    private static boolean names(Entry e, String keyOrReference) {
        return keyOrReference.startsWith("#") ? e.reference().equalsIgnoreCase(keyOrReference.substring(1))
                : e.key().equals(keyOrReference);
    }

    private String check(Entry entry) {
        for (User user : users) {
            try {
                user.check(entry);
            } catch (AclException e) {
                return e.getMessage();
            }
        }
        return null;
    }

    /** {@code http-request add-acl(FILE) KEY}: adds the pattern unless an entry has it already. */
    public void addIfAbsent(String text) {
        if (text.isEmpty() || keys.contains(text)) {
            return;
        }
        synchronized (changes) {
            if (!keys.contains(text)) {
                add(text);
            }
        }
    }

    /** {@code http-request set-map(FILE) KEY VALUE}: the value of every entry of that key, or a new entry. */
    public void put(String key, String value) {
        if (key.isEmpty()) {
            return;
        }
        synchronized (changes) {
            if (!keys.contains(key)) {
                add(key + " " + value);
            } else if (entries.stream().anyMatch(e -> e.key().equals(key) && !e.value().equals(value))) {
                set(key, value);
            }
        }
    }

    /** {@code http-request del-acl|del-map(FILE) KEY}: removes the entries of that key, if any. */
    public void deleteIfPresent(String key) {
        if (keys.contains(key)) {
            delete(key);
        }
    }

    private static java.util.Set<String> keysOf(List<Entry> entries) {
        java.util.Set<String> set = new java.util.HashSet<>(entries.size() * 2);
        for (Entry e : entries) {
            set.add(e.key());
        }
        return set;
    }

    private void publish(List<Entry> next) {
        entries = List.copyOf(next);
        keys = keysOf(entries);
        for (User user : users) {
            user.rebuild(entries);
        }
    }
}
