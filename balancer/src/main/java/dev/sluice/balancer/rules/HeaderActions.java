package dev.sluice.balancer.rules;

import dev.sluice.balancer.format.FormatString;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code set-header}, {@code add-header}, {@code del-header}, {@code replace-header}, {@code replace-value}. */
final class HeaderActions {

    /** How {@code del-header -m} compares names (HAProxy 2.6: str, beg, end, sub, reg). */
    enum NameMatch { STR, BEG, END, SUB, REG }

    private HeaderActions() {
    }

    private static HttpHeaders headers(RuleContext context, boolean response) {
        return response ? context.httpResponse().headers() : context.httpRequest().headers();
    }

    private static void changed(RuleContext context, boolean response) {
        if (!response) {
            context.requestChanged();
        }
    }

    static Action set(boolean response, String name, FormatString value) {
        return context -> {
            // The value is rendered before the header goes, so it may read the old value.
            String rendered = context.renderString(value);
            headers(context, response).set(name, rendered);
            changed(context, response);
            return Verdict.CONTINUE;
        };
    }

    static Action add(boolean response, String name, FormatString value) {
        return context -> {
            headers(context, response).add(name, context.renderString(value));
            changed(context, response);
            return Verdict.CONTINUE;
        };
    }

    static Action delete(boolean response, String name, NameMatch match, Pattern regex) {
        if (match == NameMatch.STR) {
            return context -> {
                headers(context, response).remove(name);
                changed(context, response);
                return Verdict.CONTINUE;
            };
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return context -> {
            HttpHeaders headers = headers(context, response);
            List<String> doomed = null;
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
                String candidate = it.next().getKey().toString();
                String folded = candidate.toLowerCase(Locale.ROOT);
                boolean hit = switch (match) {
                    case BEG -> folded.startsWith(lower);
                    case END -> folded.endsWith(lower);
                    case SUB -> folded.contains(lower);
                    // HAProxy keeps names in lower case, so a regex sees them that way.
                    case REG -> regex.matcher(folded).find();
                    case STR -> folded.equals(lower);
                };
                if (hit) {
                    if (doomed == null) {
                        doomed = new ArrayList<>(2);
                    }
                    doomed.add(candidate);
                }
            }
            if (doomed != null) {
                doomed.forEach(headers::remove);
                changed(context, response);
            }
            return Verdict.CONTINUE;
        };
    }

    /**
     * {@code replace-header} (whole values) and {@code replace-value} (each comma-separated value):
     * a value the regex matches is replaced by the replacement, where {@code \N} is group N.
     */
    static Action replace(boolean response, boolean eachValue, String name, Pattern regex, FormatString replacement) {
        return context -> {
            HttpHeaders headers = headers(context, response);
            List<String> values = headers.getAll(name);
            if (values.isEmpty()) {
                return Verdict.CONTINUE;
            }
            String with = context.renderString(replacement);
            boolean any = false;
            List<String> rewritten = new ArrayList<>(values.size());
            for (String value : values) {
                String result = eachValue ? replaceEach(value, regex, with) : replaceOne(value, regex, with);
                any |= result != null;
                rewritten.add(result == null ? value : result);
            }
            if (any) {
                replaceInPlace(headers, name, rewritten);
                changed(context, response);
            }
            return Verdict.CONTINUE;
        };
    }

    /** Gives the lines named {@code name} their new values where they stand; the other lines keep their order. */
    private static void replaceInPlace(HttpHeaders headers, String name, List<String> values) {
        List<Map.Entry<String, String>> lines = headers.entries();
        headers.clear();
        int next = 0;
        for (Map.Entry<String, String> line : lines) {
            boolean named = line.getKey().equalsIgnoreCase(name);
            headers.add(line.getKey(), named ? values.get(next++) : line.getValue());
        }
    }

    /** The replacement with its group references filled in, or null when the regex does not match. */
    static String replaceOne(String value, Pattern regex, String replacement) {
        Matcher m = regex.matcher(value);
        if (!m.find()) {
            return null;
        }
        StringBuilder out = new StringBuilder(replacement.length() + 16);
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c != '\\' || i + 1 == replacement.length()) {
                out.append(c);
                continue;
            }
            char next = replacement.charAt(++i);
            if (next >= '0' && next <= '9') {
                int group = next - '0';
                if (group <= m.groupCount() && m.group(group) != null) {
                    out.append(m.group(group));
                }
            } else if (next == 'x' && i + 2 < replacement.length()) {
                // HAProxy's \xHH: the byte of two hex digits.
                out.append((char) (hexDigit(replacement.charAt(i + 1)) << 4 | hexDigit(replacement.charAt(i + 2))));
                i += 2;
            } else {
                out.append(next); // any other escaped character stands for itself
            }
        }
        return out.toString();
    }

    private static int hexDigit(char c) {
        int v = Character.digit(c, 16);
        return v < 0 ? 0 : v;
    }

    /** Each comma-separated element, trimmed, goes through {@link #replaceOne}; the commas stay. */
    private static String replaceEach(String value, Pattern regex, String replacement) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        boolean any = false;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            int from = start;
            while (from < end && value.charAt(from) == ' ') {
                from++;
            }
            int to = end;
            while (to > from && value.charAt(to - 1) == ' ') {
                to--;
            }
            String element = value.substring(from, to);
            String replaced = replaceOne(element, regex, replacement);
            if (replaced == null) {
                out.append(value, start, end);
            } else {
                // HAProxy drops the blanks around an element it rewrites.
                any = true;
                out.append(replaced);
            }
            if (comma < 0) {
                break;
            }
            out.append(',');
            start = comma + 1;
        }
        return any ? out.toString() : null;
    }
}
