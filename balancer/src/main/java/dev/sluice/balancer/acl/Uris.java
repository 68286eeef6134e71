package dev.sluice.balancer.acl;

/**
 * Parts of a request target found in place. A range is packed in one long, {@code from << 32 | to},
 * so that finding it allocates nothing; {@link #NONE} means the part is absent (the fetch fails).
 */
final class Uris {

    static final long NONE = -1L;

    private Uris() {
    }

    static long range(int from, int to) {
        return ((long) from << 32) | (to & 0xffff_ffffL);
    }

    static int from(long range) {
        return (int) (range >>> 32);
    }

    static int to(long range) {
        return (int) range;
    }

    /**
     * The path: from the first slash of the origin form, or of the absolute form after its authority,
     * to the question mark. Absent for {@code *} and for an absolute URI without a path.
     */
    static long path(CharSequence uri) {
        int n = uri.length();
        int start = pathStart(uri);
        if (start < 0) {
            return NONE;
        }
        int end = start;
        while (end < n && uri.charAt(end) != '?') {
            end++;
        }
        return range(start, end);
    }

    private static int pathStart(CharSequence uri) {
        int n = uri.length();
        if (n == 0) {
            return -1;
        }
        if (uri.charAt(0) == '/') {
            return 0;
        }
        int scheme = Text.indexOf(uri, 0, n, "://", false);
        if (scheme < 0) {
            return -1;
        }
        for (int i = scheme + 3; i < n; i++) {
            char c = uri.charAt(i);
            if (c == '/') {
                return i;
            }
            if (c == '?') {
                return -1;
            }
        }
        return -1;
    }

    /** What follows the first question mark; absent without one, empty after a trailing one. */
    static long query(CharSequence uri) {
        int n = uri.length();
        for (int i = 0; i < n; i++) {
            if (uri.charAt(i) == '?') {
                return range(i + 1, n);
            }
        }
        return NONE;
    }

    /**
     * Calls {@code sink} with the value of each URL parameter named {@code name} (any parameter when
     * null) after the first '?' or {@code delimiter}; parameters end at '&amp;', ';' or the delimiter.
     * Stops after the first one unless {@code all}.
     */
    static boolean parameters(CharSequence uri, String name, char delimiter, boolean all, ValueForm form,
            SampleSink sink) {
        int n = uri.length();
        int i = 0;
        while (i < n && uri.charAt(i) != '?' && uri.charAt(i) != delimiter) {
            i++;
        }
        i++;
        while (i < n) {
            int end = i;
            while (end < n && !isParameterEnd(uri.charAt(end), delimiter)) {
                end++;
            }
            int equals = i;
            while (equals < end && uri.charAt(equals) != '=') {
                equals++;
            }
            if (equals < end && (name == null || Text.equals(uri, i, equals, name, false))) {
                if (form.emit(sink, uri, equals + 1, end) || !all) {
                    return true;
                }
            }
            i = end + 1;
        }
        return false;
    }

    private static boolean isParameterEnd(char c, char delimiter) {
        return c == '&' || c == ';' || c == delimiter;
    }
}
