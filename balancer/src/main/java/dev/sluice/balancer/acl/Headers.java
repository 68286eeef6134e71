package dev.sluice.balancer.acl;

/**
 * Header values found in place over a {@link RequestView}: field lines are matched by name without
 * case, and unless {@code full} each line is split at commas outside double quotes, each value
 * trimmed, as HAProxy's {@code req.hdr} does ({@code req.fhdr} keeps whole lines).
 */
final class Headers {

    private Headers() {
    }

    private static boolean named(RequestView r, int line, String name) {
        return name == null || Text.equals(r.headerName(line), 0, r.headerName(line).length(), name, true);
    }

    /** Number of values (or of lines when {@code full}) of the header; of all headers when name is null. */
    static int count(RequestView r, String name, boolean full) {
        int count = 0;
        for (int line = 0, lines = r.headerCount(); line < lines; line++) {
            if (named(r, line, name)) {
                count += full ? 1 : countValues(r.headerValue(line));
            }
        }
        return count;
    }

    private static int countValues(CharSequence v) {
        int count = 1;
        for (int i = nextComma(v, 0); i < v.length(); i = nextComma(v, i + 1)) {
            count++;
        }
        return count;
    }

    /** Index of the next comma outside a quoted string at or after {@code i}, or the length. */
    private static int nextComma(CharSequence v, int i) {
        boolean quoted = false;
        for (int n = v.length(); i < n; i++) {
            char c = v.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                return i;
            }
        }
        return v.length();
    }

    /**
     * Feeds values to the sink. {@code occurrence} &gt; 0 takes the n-th value from the first, &lt; 0 the
     * n-th from the last; 0 takes every value when {@code all} (ACL use) and the last one otherwise.
     */
    static boolean values(RequestView r, String name, int occurrence, boolean full, boolean all, ValueForm form,
            SampleSink sink) {
        if (occurrence == 0 && !all) {
            occurrence = -1;
        }
        int wanted = occurrence;
        if (occurrence < 0) {
            wanted = count(r, name, full) + occurrence + 1;
            if (wanted <= 0) {
                return false;
            }
        }
        int seen = 0;
        for (int line = 0, lines = r.headerCount(); line < lines; line++) {
            if (!named(r, line, name)) {
                continue;
            }
            CharSequence v = r.headerValue(line);
            int start = 0;
            while (true) {
                int end = full ? v.length() : nextComma(v, start);
                seen++;
                if (wanted == 0 || wanted == seen) {
                    int a = start;
                    int b = end;
                    while (a < b && Text.isSpace(v.charAt(a))) {
                        a++;
                    }
                    while (b > a && Text.isSpace(v.charAt(b - 1))) {
                        b--;
                    }
                    if (form.emit(sink, v, a, b)) {
                        return true;
                    }
                    if (wanted != 0) {
                        return false;
                    }
                }
                if (end >= v.length()) {
                    break;
                }
                start = end + 1;
            }
        }
        return false;
    }

    /**
     * Feeds the values of cookies named {@code name} (every cookie when null) from the Cookie
     * headers. Pairs are separated by ';' or ',', spaces around names and values are ignored. When not
     * {@code all}, only the last matching cookie is fed (the first one when name is null).
     */
    static boolean cookies(RequestView r, String name, boolean all, ValueForm form, SampleSink sink) {
        if (!all && name != null) {
            long last = Uris.NONE;
            int lastLine = -1;
            for (int line = 0, lines = r.headerCount(); line < lines; line++) {
                if (named(r, line, "cookie")) {
                    long found = scanCookies(r.headerValue(line), 0, name, true, null, ValueForm.STRING);
                    if (found != Uris.NONE) {
                        last = found;
                        lastLine = line;
                    }
                }
            }
            return last != Uris.NONE && form.emit(sink, r.headerValue(lastLine), Uris.from(last), Uris.to(last));
        }
        for (int line = 0, lines = r.headerCount(); line < lines; line++) {
            if (named(r, line, "cookie")) {
                CharSequence v = r.headerValue(line);
                long found = scanCookies(v, 0, name, false, all ? sink : null, form);
                if (found == Long.MAX_VALUE) {
                    return true;
                }
                if (!all && found != Uris.NONE) {
                    return form.emit(sink, v, Uris.from(found), Uris.to(found));
                }
            }
        }
        return false;
    }

    /** Number of cookies named {@code name} (all cookies when null). */
    static int countCookies(RequestView r, String name) {
        int count = 0;
        for (int line = 0, lines = r.headerCount(); line < lines; line++) {
            if (named(r, line, "cookie")) {
                CharSequence v = r.headerValue(line);
                int from = 0;
                long found;
                while ((found = scanCookies(v, from, name, false, null, ValueForm.STRING)) != Uris.NONE) {
                    count++;
                    from = Uris.to(found);
                }
            }
        }
        return count;
    }

    /**
     * Walks the pairs of one Cookie line. With a sink, feeds each match and returns Long.MAX_VALUE
     * when the sink stops; without one returns the range of the first match (or of the last when
     * {@code last}), or NONE.
     */
    private static long scanCookies(CharSequence v, int start, String name, boolean last, SampleSink sink,
            ValueForm form) {
        long result = Uris.NONE;
        int n = v.length();
        int i = start;
        while (i < n) {
            int end = i;
            while (end < n && v.charAt(end) != ';' && v.charAt(end) != ',') {
                end++;
            }
            int a = i;
            while (a < end && Text.isSpace(v.charAt(a))) {
                a++;
            }
            int equals = a;
            while (equals < end && v.charAt(equals) != '=') {
                equals++;
            }
            if (equals < end) {
                int nameEnd = equals;
                while (nameEnd > a && Text.isSpace(v.charAt(nameEnd - 1))) {
                    nameEnd--;
                }
                if (name == null || Text.equals(v, a, nameEnd, name, false)) {
                    int va = equals + 1;
                    int vb = end;
                    while (va < vb && Text.isSpace(v.charAt(va))) {
                        va++;
                    }
                    while (vb > va && Text.isSpace(v.charAt(vb - 1))) {
                        vb--;
                    }
                    if (sink != null) {
                        if (form.emit(sink, v, va, vb)) {
                            return Long.MAX_VALUE;
                        }
                    } else {
                        result = Uris.range(va, vb);
                        if (!last) {
                            return result;
                        }
                    }
                }
            }
            i = end + 1;
        }
        return result;
    }
}
