package dev.sluice.balancer.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which variant of a URL a stored response is, when {@code process-vary} is on. HAProxy 2.6 only
 * varies on {@code Accept-Encoding} and {@code Referer}: a variant varying on the encoding is the
 * response's {@code Content-Encoding} and serves every request that accepts that coding (one
 * without {@code Accept-Encoding} accepts all); one varying on the referer serves the same value.
 *
 * @param names    the varied header names, lower case and sorted; empty when nothing varies
 * @param encoding the response's coding ("identity" without one) when it varies on Accept-Encoding, else null
 * @param referer  the request's Referer ("" without one) when it varies on it, else null
 */
record Vary(List<String> names, String encoding, String referer) {

    /** The request headers HAProxy 2.6 knows how to vary on. */
    static final Set<String> HANDLED = Set.of("accept-encoding", "referer");
    static final Vary NONE = new Vary(List.of(), null, null);
    private static final String IDENTITY = "identity";

    Vary {
        names = List.copyOf(names);
    }

    /**
     * The varied header names of a response, lower case and sorted; empty without {@code Vary}; null
     * when one is not handled (or is {@code *}), and then the response is not stored. HAProxy 2.6 was
     * also seen to store nothing that varies on {@code Referer} alone (see CacheDifferentialIT).
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
        if (names.contains("referer") && !names.contains("accept-encoding")) {
            return null;
        }
        return List.copyOf(names);
    }

    /** The variant a response to this request is. */
    static Vary of(List<String> names, HttpHeaders request, HttpHeaders response) {
        if (names.isEmpty()) {
            return NONE;
        }
        String encoding = null;
        String referer = null;
        if (names.contains("accept-encoding")) {
            String coding = response.get(HttpHeaderNames.CONTENT_ENCODING);
            encoding = coding == null ? IDENTITY : coding.trim().toLowerCase(Locale.ROOT);
        }
        if (names.contains("referer")) {
            referer = Objects.requireNonNullElse(request.get(HttpHeaderNames.REFERER), "").trim();
        }
        return new Vary(names, encoding, referer);
    }

    /** Whether this variant may answer a request with these headers. */
    boolean matches(HttpHeaders request) {
        if (referer != null && !referer.equals(Objects.requireNonNullElse(request.get(HttpHeaderNames.REFERER), "")
                .trim())) {
            return false;
        }
        return encoding == null || accepts(request.getAll(HttpHeaderNames.ACCEPT_ENCODING), encoding);
    }

    /** RFC 9110 section 12.5.3: whether {@code coding} is acceptable; identity is unless refused. */
    static boolean accepts(List<String> acceptEncoding, String coding) {
        if (acceptEncoding.isEmpty()) {
            return true;
        }
        Boolean named = null;
        Boolean any = null;
        for (String value : acceptEncoding) {
            for (String item : value.split(",")) {
                String[] parts = item.split(";");
                String name = parts[0].trim().toLowerCase(Locale.ROOT);
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim().toLowerCase(Locale.ROOT);
                    if (p.startsWith("q=")) {
                        refused = p.substring(2).trim().matches("0(\\.0{0,3})?");
                    }
                }
                if (name.equals(coding)) {
                    named = !refused;
                } else if (name.equals("*")) {
                    any = !refused;
                }
            }
        }
        if (named != null) {
            return named;
        }
        if (any != null) {
            return any;
        }
        return coding.equals(IDENTITY);
    }
}
