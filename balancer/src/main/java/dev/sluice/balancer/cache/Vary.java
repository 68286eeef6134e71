package dev.sluice.balancer.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A response's {@code Vary} header as HAProxy 2.6's {@code process-vary} handles it: only
 * {@code Accept-Encoding} and {@code Referer} may vary; the request's values of the varied headers
 * make the secondary key that tells one stored variant of a URL from another.
 */
final class Vary {

    /** The request headers HAProxy 2.6 knows how to vary on. */
    static final Set<String> HANDLED = Set.of("accept-encoding", "referer");

    private Vary() {
    }

    /**
     * The varied header names, lower case and sorted; empty without {@code Vary}; null when one is
     * not handled (or is {@code *}), and then the response is not stored.
     */
    static List<String> names(HttpHeaders response) {
        List<String> values = response.getAll(HttpHeaderNames.VARY);
        if (values.isEmpty()) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        for (String value : values) {
            for (String name : value.split(",")) {
                String n = name.trim().toLowerCase(Locale.ROOT);
                if (n.isEmpty()) {
                    continue;
                }
                if (!HANDLED.contains(n)) {
                    return null;
                }
                names.add(n);
            }
        }
        return List.copyOf(names);
    }

    /** The request's values of {@code names}, normalized, as one key; "" when nothing varies. */
    static String secondary(List<String> names, HttpHeaders request) {
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder key = new StringBuilder();
        for (String name : names) {
            key.append(name).append('=');
            if (name.equals("accept-encoding")) {
                key.append(encodings(request.getAll(HttpHeaderNames.ACCEPT_ENCODING)));
            } else {
                String value = request.get(name);
                key.append(value == null ? "" : value.trim());
            }
            key.append('\n');
        }
        return key.toString();
    }

    /** The accepted codings, lower case and sorted, weights dropped (as a set, like HAProxy's bitmap). */
    private static String encodings(List<String> values) {
        TreeSet<String> codings = new TreeSet<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                int semicolon = item.indexOf(';');
                String coding = (semicolon < 0 ? item : item.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
                if (!coding.isEmpty()) {
                    codings.add(coding);
                }
            }
        }
        return String.join(",", new ArrayList<>(codings));
    }
}
