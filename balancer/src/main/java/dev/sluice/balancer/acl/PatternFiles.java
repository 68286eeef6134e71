package dev.sluice.balancer.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads pattern ({@code -f}) and map files once per compilation, whatever the number of ACLs naming
 * them. Relative names resolve against the base directory given to the compiler (HAProxy resolves
 * them against its working directory).
 */
final class PatternFiles {

    /** One useful line: its 1-based number and its text, leading blanks stripped. */
    record Entry(int line, String text) {
    }

    private final Path baseDirectory;
    private final Map<Path, List<Entry>> cache = new ConcurrentHashMap<>();
    private final PatternRefs refs = new PatternRefs();
    private final Map<Path, PatternRef> byPath = new ConcurrentHashMap<>();
    private String where = "";

    PatternFiles(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    /** The lists the runtime API may change: every file read and every ACL line's own patterns. */
    PatternRefs refs() {
        return refs;
    }

    /** Where the line being compiled is ({@code file 'F' line N}), for the descriptions of new lists. */
    void at(String file, int line) {
        where = "file '" + file + "' line " + line;
    }

    /** The list of a pattern or map file, read once and shared by everything that names it. */
    PatternRef reference(String name, boolean map) {
        Path path = baseDirectory.resolve(name).normalize();
        PatternRef ref = byPath.get(path);
        String use = "by " + (map ? "map" : "acl") + " at " + where;
        if (ref == null) {
            ref = refs.create(name, "pattern loaded from file '" + name + "' used", read(name));
            byPath.put(path, ref);
        }
        ref.usedAt(use);
        return ref;
    }

    /**
     * The list a rule action changes ({@code add-acl(FILE)}, {@code set-map(FILE)}, …): the one
     * loaded for ACLs and maps naming the file, or an empty one when the file does not exist, as
     * HAProxy allows.
     */
    PatternRef forAction(String name) {
        Path path = baseDirectory.resolve(name).normalize();
        PatternRef ref = byPath.get(path);
        if (ref == null) {
            ref = refs.create(name, "pattern loaded from file '" + name + "' used",
                    java.nio.file.Files.exists(path) ? read(name) : List.of());
            byPath.put(path, ref);
        }
        return ref;
    }

    /** The patterns written on one ACL line ({@code keyword} is its fetch). */
    PatternRef inline(String keyword, List<String> patterns) {
        List<Entry> lines = new java.util.ArrayList<>(patterns.size());
        for (String p : patterns) {
            lines.add(new Entry(0, p));
        }
        PatternRef ref = refs.create("", "acl '" + keyword + "' " + where + ".", lines);
        return ref;
    }

    /**
     * The lines of the file without empty lines and lines starting with '#' (a pattern that must start
     * with '#' is written after a space); leading blanks stripped, trailing ones kept, as HAProxy does.
     */
    List<Entry> read(String name) {
        Path path = baseDirectory.resolve(name).normalize();
        List<Entry> cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        List<String> raw;
        try {
            raw = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw AclException.invalid("failed to open pattern file <" + name + ">");
        }
        List<Entry> entries = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i);
            int a = 0;
            while (a < line.length() && Text.isSpace(line.charAt(a))) {
                a++;
            }
            int b = line.length();
            while (b > a && line.charAt(b - 1) == '\r') {
                b--;
            }
            if (a == b || line.startsWith("#")) {
                continue;
            }
            entries.add(new Entry(i + 1, line.substring(a, b)));
        }
        List<Entry> result = List.copyOf(entries);
        cache.put(path, result);
        return result;
    }
}
