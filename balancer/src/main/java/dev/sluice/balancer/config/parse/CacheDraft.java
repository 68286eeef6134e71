package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.cache.CacheSection;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.lex.Line;

/**
 * One {@code cache NAME} section while it is read: {@code total-max-size} (megabytes, required),
 * {@code max-object-size} (bytes), {@code max-age} (seconds), {@code process-vary on|off} and
 * {@code max-secondary-entries}. {@link #build} checks the sizes against each other as HAProxy 2.6
 * does once the section ends, with its messages.
 */
final class CacheDraft {
    private static final long MEGABYTE = 1L << 20;

    final SourceLocation location;
    final String name;
    private long totalMegabytes;
    private long maxObjectBytes;
    private SourceLocation maxObjectAt;
    private int maxAgeSeconds = CacheSection.DEFAULT_MAX_AGE_SECONDS;
    private boolean processVary;
    private int maxSecondaryEntries = CacheSection.DEFAULT_MAX_SECONDARY_ENTRIES;

    CacheDraft(SourceLocation location, String name) {
        this.location = location;
        this.name = name;
    }

    void apply(Line line) throws ConfigException {
        String keyword = line.keyword();
        switch (keyword) {
            case "total-max-size" -> {
                long megabytes = number(line, "total-max-size");
                if (megabytes > CacheSection.MAX_TOTAL_MEGABYTES) {
                    throw new ConfigException("\"total-max-size\" (" + megabytes + ") must not be greater than "
                            + CacheSection.MAX_TOTAL_MEGABYTES);
                }
                totalMegabytes = megabytes;
            }
            case "max-object-size" -> {
                maxObjectBytes = number(line, "max-object-size");
                maxObjectAt = line.location();
            }
            case "max-age" -> maxAgeSeconds = (int) Math.min(Integer.MAX_VALUE, number(line, "max-age"));
            case "process-vary" -> {
                if (line.size() != 2 || !(line.word(1).equals("on") || line.word(1).equals("off"))) {
                    throw new ConfigException("'process-vary' expects \"on\" or \"off\" (enable or disable vary "
                            + "processing).");
                }
                processVary = line.word(1).equals("on");
            }
            case "max-secondary-entries" -> {
                long entries = line.size() == 2 ? parse(line.word(1)) : -1;
                if (entries < 1 || entries > Integer.MAX_VALUE) {
                    throw new ConfigException("max-secondary-entries wrong value '"
                            + (line.size() > 1 ? line.word(1) : "") + "'");
                }
                maxSecondaryEntries = (int) entries;
            }
            default -> throw new ConfigException("unknown keyword '" + keyword + "' in 'cache' section (expected: "
                    + "total-max-size, max-object-size, max-age, process-vary or max-secondary-entries)");
        }
    }

    /** The section, or null when it is invalid (reported to {@code diagnostics} at its lines). */
    CacheSection build(Diagnostics diagnostics) {
        if (totalMegabytes == 0) {
            diagnostics.alert(location, "Size not specified for cache '" + name + "'");
            return null;
        }
        long total = totalMegabytes * MEGABYTE;
        long maxObject = maxObjectBytes == 0 ? total / CacheSection.DEFAULT_OBJECT_SHARE : maxObjectBytes;
        if (maxObject > total / 2) {
            diagnostics.alert(maxObjectAt, "\"max-object-size\" is limited to an half of \"total-max-size\" => "
                    + total / 2);
            return null;
        }
        return new CacheSection(name, total, (int) maxObject, maxAgeSeconds, processVary, maxSecondaryEntries);
    }

    private static long number(Line line, String keyword) throws ConfigException {
        long value = line.size() == 2 ? parse(line.word(1)) : -1;
        if (value < 0) {
            throw new ConfigException("'" + keyword + "' expects a positive integer as argument");
        }
        return value;
    }

    /** A non-negative decimal (at most 18 digits), or -1. */
    private static long parse(String word) {
        if (word.isEmpty() || word.length() > 18) {
            return -1;
        }
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isDigit(word.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(word);
    }
}
