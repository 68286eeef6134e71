package dev.sluice.balancer.acl;

/** Character-range helpers that compare in place; ASCII case folding, as HAProxy's strncasecmp in the C locale. */
final class Text {

    private Text() {
    }

    static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    static boolean regionEquals(CharSequence s, int from, CharSequence p, boolean ignoreCase) {
        int n = p.length();
        if (from < 0 || from + n > s.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char a = s.charAt(from + i);
            char b = p.charAt(i);
            if (a != b && (!ignoreCase || fold(a) != fold(b))) {
                return false;
            }
        }
        return true;
    }

    static boolean equals(CharSequence s, int from, int to, CharSequence p, boolean ignoreCase) {
        return to - from == p.length() && regionEquals(s, from, p, ignoreCase);
    }

    static boolean startsWith(CharSequence s, int from, int to, CharSequence p, boolean ignoreCase) {
        return to - from >= p.length() && regionEquals(s, from, p, ignoreCase);
    }

    static boolean endsWith(CharSequence s, int from, int to, CharSequence p, boolean ignoreCase) {
        return to - from >= p.length() && regionEquals(s, to - p.length(), p, ignoreCase);
    }

    static int indexOf(CharSequence s, int from, int to, CharSequence p, boolean ignoreCase) {
        for (int i = from; i + p.length() <= to; i++) {
            if (regionEquals(s, i, p, ignoreCase)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code p} occurs in s[from, to) with a delimiter (or the range's edge) on each side:
     * HAProxy's "dir" (slash) and "dom" (dot, colon, slash, question mark) matches.
     */
    static boolean containsWord(CharSequence s, int from, int to, CharSequence p, boolean ignoreCase, boolean domain) {
        if (p.isEmpty()) {
            return false;
        }
        for (int i = from; i + p.length() <= to; i++) {
            if ((i == from || isDelimiter(s.charAt(i - 1), domain)) && regionEquals(s, i, p, ignoreCase)) {
                int end = i + p.length();
                if (end == to || isDelimiter(s.charAt(end), domain)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isDelimiter(char c, boolean domain) {
        return c == '/' || domain && (c == '.' || c == ':' || c == '?');
    }

    /** The pattern without the delimiters HAProxy ignores at its ends. */
    static String stripDelimiters(String p, boolean domain) {
        int a = 0;
        int b = p.length();
        while (a < b && isDelimiter(p.charAt(a), domain)) {
            a++;
        }
        while (b > a && isDelimiter(p.charAt(b - 1), domain)) {
            b--;
        }
        return p.substring(a, b);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * The leading integer of s[from, to) as HAProxy's strl2ic reads it: optional sign, then digits up
     * to the first non-digit; 0 when there are none.
     */
    static long leadingInteger(CharSequence s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long value = 0;
        while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            value = value * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -value : value;
    }

    /**
     * HAProxy's cast of a string sample to an integer: an optional sign, then the leading digits
     * (none give 0), saturating at the bounds of a long; trailing text is ignored. Only an empty
     * string fails, which the caller checks ({@code from < to}).
     */
    static long castInteger(CharSequence s, int from, int to) {
        int i = from;
        boolean negative = false;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long magnitude = 0; // accumulated as a negative number: it reaches Long.MIN_VALUE exactly
        for (; i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int digit = s.charAt(i) - '0';
            if (magnitude < (Long.MIN_VALUE + digit) / 10) {
                return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            magnitude = magnitude * 10 - digit;
        }
        if (negative) {
            return magnitude;
        }
        return magnitude == Long.MIN_VALUE ? Long.MAX_VALUE : -magnitude;
    }

    /**
     * An integer pattern as HAProxy reads it in ACL and map files: a whole number, or a range
     * {@code LOW:HIGH} with either bound left out for "unbounded"; the lower bound is unsigned
     * digits ({@code -5:-1} is refused, {@code :-1} is fine). Returns {low, high}, or null.
     */
    static long[] integerRange(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            Long v = parseLong(text);
            return v == null ? null : new long[] {v, v};
        }
        Long a = colon == 0 ? Long.valueOf(Long.MIN_VALUE)
                : allDigits(text, 0, colon) ? parseLong(text.substring(0, colon)) : null;
        Long b = colon == text.length() - 1 ? Long.valueOf(Long.MAX_VALUE) : parseLong(text.substring(colon + 1));
        return a == null || b == null ? null : new long[] {a, b};
    }

    /** A whole decimal integer, or null when s is not exactly one. */
    static Long parseLong(String s) {
        // 19 digits at most, after an optional sign (Long.parseLong catches what still overflows)
        if (s.isEmpty() || s.length() > 20) {
            return null;
        }
        int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
        if (i == s.length()) {
            return null;
        }
        for (int k = i; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException overflow) {
            return null;
        }
    }

    /** Whether every char of the range is in [0-9] (and there is at least one). */
    static boolean allDigits(CharSequence s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
