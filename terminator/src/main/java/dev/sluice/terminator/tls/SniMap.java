package dev.sluice.terminator.tls;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Server names to values: exact names, and wildcards ({@code *.example.com}) that match exactly
 * one label ({@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}).
 * The first value put for a name wins, as the first matching pem-file does in hitch.
 * Immutable once built; lookups allocate only the lower-cased name when it is not lower case.
 */
public final class SniMap<T> {
    private final Map<String, T> exact;
    private final Map<String, T> wildcardParents;

    private SniMap(Map<String, T> exact, Map<String, T> wildcardParents) {
        this.exact = Map.copyOf(exact);
        this.wildcardParents = Map.copyOf(wildcardParents);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** The value for {@code hostname}, exact names first; null when nothing matches. */
    public T lookup(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            return null;
        }
        String name = normalize(hostname);
        T value = exact.get(name);
        if (value != null) {
            return value;
        }
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            return null;
        }
        return wildcardParents.get(name.substring(dot + 1));
    }

    static String normalize(String hostname) {
        String name = hostname.endsWith(".") ? hostname.substring(0, hostname.length() - 1) : hostname;
        return name.toLowerCase(Locale.ROOT);
    }

    public static final class Builder<T> {
        private final Map<String, T> exact = new HashMap<>();
        private final Map<String, T> wildcardParents = new HashMap<>();

        /** Adds {@code name} unless it is already present; returns false when it was. */
        public boolean putIfAbsent(String name, T value) {
            String normalized = normalize(name);
            if (normalized.startsWith("*.")) {
                String parent = normalized.substring(2);
                if (parent.isEmpty() || parent.indexOf('*') >= 0) {
                    throw new IllegalArgumentException("name: " + name + " (expected: *.domain)");
                }
                return wildcardParents.putIfAbsent(parent, value) == null;
            }
            if (normalized.indexOf('*') >= 0) {
                throw new IllegalArgumentException("name: " + name
                        + " (expected: an exact name or a wildcard of the whole first label)");
            }
            return exact.putIfAbsent(normalized, value) == null;
        }

        public SniMap<T> build() {
            return new SniMap<>(exact, wildcardParents);
        }
    }
}
