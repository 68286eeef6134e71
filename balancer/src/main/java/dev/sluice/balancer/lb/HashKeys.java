package dev.sluice.balancer.lb;

/**
 * Extracts and hashes the key of each hashing algorithm from a {@link PickContext}, as HAProxy's
 * {@code get_server_*} functions do. Results are the unsigned 32-bit hash before {@code avalanche}, or
 * {@link #MISSING} when the request has no key (round robin then applies).
 */
final class HashKeys {
    static final long MISSING = -1L;

    private HashKeys() {
    }

    static long hash(Balance.Algorithm algorithm, HashFunction function, PickContext context) {
        return switch (algorithm) {
            case Balance.Source s -> source(context.sourceAddress());
            case Balance.Uri u -> context.uri() == null ? MISSING : unsigned(uri(u, function, context.uri()));
            case Balance.UrlParam p -> context.uri() == null ? MISSING : urlParam(p.name(), function, context.uri());
            case Balance.Header h -> header(h, function, context.headerValue());
            case Balance.Hash h -> context.hasKey() ? unsigned(context.hashKey(function)) : MISSING;
            default -> throw new IllegalArgumentException("not a hashing algorithm: " + algorithm);
        };
    }

    private static long unsigned(int hash) {
        return Integer.toUnsignedLong(hash);
    }

    /**
     * {@code source}: the address's 32-bit big-endian words XORed together (the hash function is not used,
     * as in HAProxy). No address (a UNIX socket client) falls back to round robin where HAProxy errors.
     */
    static long source(byte[] address) {
        if (address == null) {
            return MISSING;
        }
        int h = 0;
        for (int i = 0; i + 4 <= address.length; i += 4) {
            h ^= (address[i] & 0xFF) << 24 | (address[i + 1] & 0xFF) << 16
                    | (address[i + 2] & 0xFF) << 8 | address[i + 3] & 0xFF;
        }
        return unsigned(h);
    }

    /**
     * {@code uri}: from the start (or the path's first '/' with {@code path-only}) up to the '?' (unless
     * {@code whole}), the slash that opens level depth+1, or {@code len} characters, whichever comes first.
     */
    static int uri(Balance.Uri spec, HashFunction function, CharSequence uri) {
        int start = spec.pathOnly() ? pathStart(uri) : 0;
        int limit = spec.length() > 0 ? Math.min(uri.length(), start + spec.length()) : uri.length();
        int stopAtSlash = spec.depth() > 0 ? spec.depth() + 1 : 0;
        int slashes = 0;
        int end = start;
        for (; end < limit; end++) {
            char c = uri.charAt(end);
            if (c == '/') {
                if (++slashes == stopAtSlash) {
                    break;
                }
            } else if (c == '?' && !spec.whole()) {
                break;
            }
        }
        return function.hash(uri, start, end);
    }

    /** Where the path starts: 0 for origin form, after the authority for absolute form, else the end. */
    static int pathStart(CharSequence uri) {
        int length = uri.length();
        if (length > 0 && uri.charAt(0) == '/') {
            return 0;
        }
        for (int i = 0; i + 2 < length; i++) {
            if (uri.charAt(i) == ':' && uri.charAt(i + 1) == '/' && uri.charAt(i + 2) == '/') {
                for (int j = i + 3; j < length; j++) {
                    if (uri.charAt(j) == '/') {
                        return j;
                    }
                }
                return length;
            }
        }
        return length;
    }

    /**
     * {@code url_param}: the value of the first {@code name=} parameter of the query string, up to the next
     * '&amp;' (an empty value is hashed too); the name is matched exactly.
     */
    static long urlParam(String name, HashFunction function, CharSequence uri) {
        int length = uri.length();
        int params = indexOf(uri, '?', 0, length);
        if (params < 0) {
            return MISSING;
        }
        params++;
        int nameLength = name.length();
        while (length - params > nameLength) {
            if (uri.charAt(params + nameLength) == '=' && regionEquals(uri, params, name)) {
                int start = params + nameLength + 1;
                int end = indexOf(uri, '&', start, length);
                return unsigned(function.hash(uri, start, end < 0 ? length : end));
            }
            int amp = indexOf(uri, '&', params, length);
            if (amp < 0) {
                return MISSING;
            }
            params = amp + 1;
        }
        return MISSING;
    }

    /** {@code hdr()}: the value, or with {@code use_domain_only} the label before the last dot. */
    static long header(Balance.Header spec, HashFunction function, CharSequence value) {
        if (value == null || value.isEmpty()) {
            return MISSING;
        }
        if (!spec.useDomainOnly()) {
            return unsigned(function.hash(value, 0, value.length()));
        }
        int end = value.length();
        int lastDot = lastIndexOf(value, '.', value.length() - 1);
        int start = 0;
        if (lastDot > 0) { // HAProxy's backward scan never looks at the first character for this dot
            end = lastDot;
            int previousDot = lastIndexOf(value, '.', lastDot - 1);
            start = previousDot + 1;
        }
        return unsigned(function.hash(value, start, end));
    }

    private static boolean regionEquals(CharSequence s, int at, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (s.charAt(at + i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(CharSequence s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(CharSequence s, char c, int from) {
        for (int i = from; i >= 0; i--) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
