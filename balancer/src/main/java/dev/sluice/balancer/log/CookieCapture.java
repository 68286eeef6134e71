package dev.sluice.balancer.log;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@code capture cookie NAME len N}: the first cookie whose name starts with NAME (append '=' to
 * NAME for an exact name), as {@code name=value}, cut at N characters: from the request's
 * {@code Cookie} headers for {@code %CC}, from the response's {@code Set-Cookie} headers (their
 * attributes left out) for {@code %CS}. Only runs when the frontend has such a line.
 */
final class CookieCapture {
    private CookieCapture() {
    }

    /** The captured request cookie, or null when none matches. */
    static CharSequence request(HttpHeaders headers, HeaderCapture capture) {
        for (String line : headers.getAll(HttpHeaderNames.COOKIE)) {
            int start = 0;
            while (start < line.length()) {
                int end = line.indexOf(';', start);
                if (end < 0) {
                    end = line.length();
                }
                CharSequence found = match(line, start, end, capture);
                if (found != null) {
                    return found;
                }
                start = end + 1;
            }
        }
        return null;
    }

    /** The captured response cookie, or null when none matches. */
    static CharSequence response(HttpHeaders headers, HeaderCapture capture) {
        for (String line : headers.getAll(HttpHeaderNames.SET_COOKIE)) {
            int end = line.indexOf(';');
            CharSequence found = match(line, 0, end < 0 ? line.length() : end, capture);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** {@code name=value} between {@code start} and {@code end} (spaces trimmed) when the name matches. */
    private static CharSequence match(String line, int start, int end, HeaderCapture capture) {
        while (start < end && line.charAt(start) == ' ') {
            start++;
        }
        while (end > start && line.charAt(end - 1) == ' ') {
            end--;
        }
        String prefix = capture.name();
        if (end - start < prefix.length() || !line.regionMatches(start, prefix, 0, prefix.length())) {
            return null;
        }
        return line.substring(start, Math.min(end, start + capture.length()));
    }
}
