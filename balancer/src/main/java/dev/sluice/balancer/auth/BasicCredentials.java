package dev.sluice.balancer.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code Authorization} header as HAProxy's {@code http_auth*} fetches read it: the scheme word
 * and, for {@code Basic}, the user and password decoded from base64 (RFC 7617). Pure functions.
 */
public final class BasicCredentials {

    /** Longest credentials decoded; a longer header is treated as no credentials (HAProxy's buffer bound). */
    public static final int MAX_ENCODED_LENGTH = 1024;

    private BasicCredentials() {
    }

    /** The scheme word ({@code Basic}, {@code Digest}, {@code Bearer}…), or null when the value is empty. */
    public static String scheme(CharSequence value) {
        int from = skipSpaces(value, 0);
        int to = from;
        while (to < value.length() && value.charAt(to) != ' ' && value.charAt(to) != '\t') {
            to++;
        }
        return to == from ? null : value.subSequence(from, to).toString();
    }

    /**
     * The decoded {@code user:password} of a {@code Basic} value, or null when the scheme is another,
     * the base64 is invalid or the decoded text has no colon.
     */
    public static String[] decode(CharSequence value) {
        int from = skipSpaces(value, 0);
        int word = from + "basic".length();
        if (value.length() <= word || !"basic".contentEquals(lower(value, from, word))
                || (value.charAt(word) != ' ' && value.charAt(word) != '\t')) {
            return null;
        }
        int start = skipSpaces(value, word);
        int end = value.length();
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end - start > MAX_ENCODED_LENGTH || end == start) {
            return null;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.subSequence(start, end).toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new String[] {text.substring(0, colon), text.substring(colon + 1)};
    }

    private static String lower(CharSequence value, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            b.append(Character.toLowerCase(value.charAt(i)));
        }
        return b.toString();
    }

    private static int skipSpaces(CharSequence value, int from) {
        while (from < value.length() && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }
}
