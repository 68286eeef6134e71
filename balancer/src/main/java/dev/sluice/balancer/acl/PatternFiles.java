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

    PatternFiles(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
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
