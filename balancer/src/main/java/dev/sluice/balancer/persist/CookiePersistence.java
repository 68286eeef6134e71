package dev.sluice.balancer.persist;

import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.CookiePlan;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A backend's {@code cookie} persistence with HAProxy 2.6's rules. On the request side
 * ({@link #onRequest}) the first cookie of that name picks the server whose {@code cookie} value it
 * carries, if that server is usable; {@code insert indirect} removes the cookie and {@code prefix}
 * strips its {@code server~} part before the server sees it. On the response side
 * ({@link #onResponse}) the server's own cookie of that name is removed, rewritten or prefixed, and in
 * {@code insert} mode a {@code Set-Cookie} is added when the client did not present a valid cookie for
 * the server that answered (or its {@code maxidle} date needs refreshing).
 *
 * <p>Immutable and shared by every event loop; a backend without {@code cookie} has none (null), so
 * such requests do no work here at all.
 */
public final class CookiePersistence {
    /** Separates the server's value from the application's in {@code prefix} mode. */
    public static final char PREFIX_DELIMITER = '~';
    /** HAProxy ignores cookie dates more than one day in the future (clock skew between nodes). */
    public static final long MAX_FUTURE_SECONDS = 86_400;
    /** What a server without a {@code cookie} value answers, to make the client forget its cookie. */
    private static final String FORGET = "=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/";
    /** Statuses cacheable by default (RFC 7231 6.1), as HAProxy lists them. */
    private static final int[] CACHEABLE_STATUSES = {200, 203, 204, 206, 300, 301, 404, 405, 410, 414, 501};

    private final CookiePlan plan;
    private final String name;
    private final Server[] servers;
    private final long maxidleSeconds;
    private final long maxlifeSeconds;
    /** The attributes after {@code ; path=/}: domains, HttpOnly, Secure. */
    private final String attributes;
    private final LongSupplier clock;

    private CookiePersistence(CookiePlan plan, List<Server> servers, LongSupplier clock) {
        this.plan = plan;
        this.name = plan.name();
        this.servers = servers.toArray(Server[]::new);
        this.maxidleSeconds = plan.maxidle().toSeconds();
        this.maxlifeSeconds = plan.maxlife().toSeconds();
        StringBuilder attrs = new StringBuilder();
        for (String domain : plan.domains()) {
            attrs.append("; domain=").append(domain);
        }
        if (plan.httponly()) {
            attrs.append("; HttpOnly");
        }
        if (plan.secure()) {
            attrs.append("; Secure");
        }
        this.attributes = attrs.toString();
        this.clock = clock;
    }

    /** The persistence of a backend with {@code plan} over {@code servers}; null when the plan has none. */
    public static CookiePersistence of(CookiePlan plan, List<Server> servers) {
        return of(plan, servers, () -> System.currentTimeMillis() / 1000);
    }

    /** As {@link #of(CookiePlan, List)} with the clock in epoch seconds given (for tests). */
    public static CookiePersistence of(CookiePlan plan, List<Server> servers, LongSupplier epochSeconds) {
        return plan.enabled() ? new CookiePersistence(plan, servers, epochSeconds) : null;
    }

    public CookiePlan plan() {
        return plan;
    }

    // ---- request side ----------------------------------------------------------------------------

    /**
     * Reads (and, per the mode, rewrites) the request's {@code Cookie} headers into {@code state}.
     *
     * @return the usable server the cookie names, which must take the request, or null to balance it
     */
    public Server onRequest(HttpRequest request, StickyState state) {
        return onRequest(request, state, false);
    }

    /**
     * @param forced {@code option persist} or a matching {@code force-persist}: a cookie naming a down
     *               server still sends the request there (outcome DOWN, as HAProxy logs it)
     */
    public Server onRequest(HttpRequest request, StickyState state, boolean forced) {
        state.clear();
        state.forced = forced;
        state.post = HttpMethod.POST.equals(request.method());
        state.requestCacheable = !CacheControl.has(request.headers(), "no-store");
        HttpHeaders headers = request.headers();
        if (!headers.contains(HttpHeaderNames.COOKIE)) {
            return null;
        }
        long now = clock.getAsLong();
        List<String> values = headers.getAll(HttpHeaderNames.COOKIE);
        List<String> rewritten = null;
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String result = requestHeader(value, state, now);
            if (result != value && rewritten == null) {
                rewritten = new ArrayList<>(values.subList(0, i));
            }
            if (rewritten != null && result != null) {
                rewritten.add(result);
            }
        }
        if (rewritten != null) {
            headers.remove(HttpHeaderNames.COOKIE);
            for (String value : rewritten) {
                headers.add(HttpHeaderNames.COOKIE, value);
            }
        }
        return state.direct;
    }

    /** One {@code Cookie} header: the same string when unchanged, a new one when rewritten, null when emptied. */
    private String requestHeader(String header, StickyState state, long now) {
        List<String> kept = null;
        int start = 0;
        while (start <= header.length()) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = header.length();
            }
            String pair = header.substring(start, end).strip();
            String replacement = pair;
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(name)) {
                replacement = ourCookie(pair, pair.substring(equals + 1).strip(), state, now);
            }
            if (replacement != pair && kept == null) {
                kept = new ArrayList<>();
                // The cookies before this one stay as they were.
                appendPairs(header, start, kept);
            }
            if (kept != null && replacement != null && !replacement.isEmpty()) {
                kept.add(replacement);
            }
            start = end + 1;
        }
        if (kept == null) {
            return header;
        }
        return kept.isEmpty() ? null : String.join("; ", kept);
    }

    private static void appendPairs(String header, int upTo, List<String> out) {
        int start = 0;
        while (start < upTo) {
            int end = header.indexOf(';', start);
            if (end < 0 || end > upTo) {
                end = upTo;
            }
            String pair = header.substring(start, end).strip();
            if (!pair.isEmpty()) {
                out.add(pair);
            }
            start = end + 1;
        }
    }

    /**
     * Our cookie {@code pair} with value {@code value}: decides the server and returns what the server
     * sees instead of {@code pair} (the same string object when unchanged, null when removed).
     */
    private String ourCookie(String pair, String value, StickyState state, long now) {
        boolean assignedBefore = state.direct != null || state.outcome != CookieOutcome.NONE;
        int end = value.length();
        int delimiter = end;
        if (plan.mode() == CookiePlan.Mode.PREFIX) {
            int tilde = value.indexOf(PREFIX_DELIMITER);
            if (tilde >= 0) {
                delimiter = tilde;
            }
        } else if (!assignedBefore) {
            int bar = value.indexOf(CookieDates.DELIMITER);
            if (bar >= 0) {
                delimiter = bar;
                state.lastDate = CookieDates.decode(value, bar + 1);
                int second = value.indexOf(CookieDates.DELIMITER, bar + 1);
                if (second >= 0) {
                    state.firstDate = CookieDates.decode(value, second + 1);
                }
            }
        }
        if (assignedBefore) {
            // Only the first persistence cookie counts, as in HAProxy.
            if (state.outcome == CookieOutcome.NONE) {
                state.outcome = CookieOutcome.UNUSED;
            }
        } else {
            boolean skip = false;
            if (state.firstDate != 0 && maxlifeSeconds > 0
                    && (now - state.firstDate > maxlifeSeconds || state.firstDate - now > MAX_FUTURE_SECONDS)) {
                state.outcome = CookieOutcome.OLD;
                skip = true;
            } else if (state.lastDate != 0 && maxidleSeconds > 0
                    && (now - state.lastDate > maxidleSeconds || state.lastDate - now > MAX_FUTURE_SECONDS)) {
                state.outcome = CookieOutcome.EXPIRED;
                skip = true;
            }
            if (skip) {
                state.firstDate = 0;
                state.lastDate = 0;
            } else {
                choose(value, delimiter, state);
            }
        }
        if (plan.mode() == CookiePlan.Mode.PREFIX && delimiter != end) {
            // The application gets its own value back.
            return name + "=" + value.substring(delimiter + 1);
        }
        if (plan.mode() == CookiePlan.Mode.INSERT && plan.indirect()) {
            return null;
        }
        return pair;
    }

    private void choose(String value, int length, StickyState state) {
        if (length == 0) {
            state.outcome = CookieOutcome.INVALID;
            return;
        }
        boolean sawDown = false;
        for (Server server : servers) {
            String cookie = server.plan().persistence().cookie();
            if (cookie != null && cookie.length() == length && value.startsWith(cookie)) {
                if (server.usable() || state.forced) {
                    state.direct = server;
                    state.outcome = server.usable() ? CookieOutcome.VALID : CookieOutcome.DOWN;
                    return;
                }
                sawDown = true;
            }
        }
        state.outcome = sawDown ? CookieOutcome.DOWN : CookieOutcome.INVALID;
    }

    // ---- response side ---------------------------------------------------------------------------

    /**
     * Applies the mode to the response of {@code served} (the server that answered; it differs from
     * {@link StickyState#direct()} after a redispatch).
     */
    public void onResponse(HttpResponse response, StickyState state, Server served) {
        HttpHeaders headers = response.headers();
        boolean serverSetOurs = headers.contains(HttpHeaderNames.SET_COOKIE) && serverCookies(headers, state, served);
        if (plan.mode() != CookiePlan.Mode.INSERT || served == null || (serverSetOurs && plan.preserve())) {
            return;
        }
        boolean direct = state.direct != null && state.direct == served;
        long now = clock.getAsLong();
        boolean refreshIdle = (maxidleSeconds > 0 || state.lastDate != 0)
                && (state.lastDate == 0 || state.lastDate - now < 0);
        boolean setFirst = maxlifeSeconds > 0 && state.firstDate == 0;
        boolean dropFirst = maxlifeSeconds == 0 && state.firstDate != 0;
        if (direct && !refreshIdle && !setFirst && !dropFirst) {
            return;
        }
        if (plan.postonly() && !state.post) {
            return;
        }
        headers.add(HttpHeaderNames.SET_COOKIE, setCookie(served.plan().persistence().cookie(), state, now));
        if (plan.nocache() && state.requestCacheable && cacheable(response)) {
            headers.add("Cache-control", "private");
        }
    }

    /** The inserted {@code Set-Cookie} value for a server whose cookie is {@code value} (null: none). */
    String setCookie(String value, StickyState state, long now) {
        StringBuilder out = new StringBuilder(64).append(name);
        if (value == null) {
            out.append(FORGET);
        } else {
            out.append('=').append(value);
            if (maxidleSeconds > 0 || maxlifeSeconds > 0) {
                out.append(CookieDates.DELIMITER);
                CookieDates.append(out, now);
                if (maxlifeSeconds > 0) {
                    out.append(CookieDates.DELIMITER);
                    if (state.firstDate != 0) {
                        CookieDates.appendExact(out, state.firstDate);
                    } else {
                        CookieDates.append(out, now);
                    }
                }
            }
            out.append("; path=/");
        }
        return out.append(attributes).toString();
    }

    /** Handles the server's own {@code Set-Cookie: NAME=…}; true when the server set ours. */
    private boolean serverCookies(HttpHeaders headers, StickyState state, Server served) {
        List<String> values = headers.getAll(HttpHeaderNames.SET_COOKIE);
        boolean found = false;
        boolean changed = false;
        List<String> out = new ArrayList<>(values.size());
        String serverCookie = served == null ? null : served.plan().persistence().cookie();
        for (String value : values) {
            int equals = value.indexOf('=');
            int semicolon = value.indexOf(';');
            if (equals <= 0 || (semicolon >= 0 && semicolon < equals) || !value.substring(0, equals).strip().equals(name)) {
                out.add(value);
                continue;
            }
            found = true;
            boolean direct = state.direct != null && state.direct == served;
            if (plan.preserve()) {
                out.add(value);
            } else if ((served != null && plan.mode() == CookiePlan.Mode.INSERT) || (direct && plan.indirect())) {
                changed = true;
            } else if (serverCookie != null && plan.mode() == CookiePlan.Mode.REWRITE) {
                int valueEnd = semicolon < 0 ? value.length() : semicolon;
                out.add(name + "=" + serverCookie + value.substring(valueEnd));
                changed = true;
            } else if (serverCookie != null && plan.mode() == CookiePlan.Mode.PREFIX) {
                out.add(name + "=" + serverCookie + PREFIX_DELIMITER + value.substring(equals + 1).stripLeading());
                changed = true;
            } else {
                out.add(value);
            }
        }
        if (changed) {
            headers.remove(HttpHeaderNames.SET_COOKIE);
            for (String value : out) {
                headers.add(HttpHeaderNames.SET_COOKIE, value);
            }
        }
        return found;
    }

    /**
     * HAProxy 2.6's response cacheability, as its {@code nocache} reads it: a status cacheable by
     * default, no directive keeping shared caches away, and freshness information ({@code max-age},
     * {@code s-maxage}, {@code Expires}) or a validator ({@code Last-Modified}, {@code ETag}).
     * {@code public} alone does not make a response cacheable (checked against haproxy 2.6).
     */
    static boolean cacheable(HttpResponse response) {
        int status = response.status().code();
        boolean byStatus = false;
        for (int candidate : CACHEABLE_STATUSES) {
            byStatus |= candidate == status;
        }
        if (!byStatus) {
            return false;
        }
        HttpHeaders headers = response.headers();
        for (String pragma : headers.getAll(HttpHeaderNames.PRAGMA)) {
            if (pragma.strip().equalsIgnoreCase("no-cache")) {
                return false;
            }
        }
        boolean fresh = headers.contains(HttpHeaderNames.EXPIRES) || headers.contains(HttpHeaderNames.LAST_MODIFIED)
                || headers.contains(HttpHeaderNames.ETAG);
        for (String header : headers.getAll(HttpHeaderNames.CACHE_CONTROL)) {
            for (String directive : header.split(",")) {
                String d = directive.strip().toLowerCase(java.util.Locale.ROOT);
                if (d.equals("no-cache") || d.equals("private") || d.equals("no-store")
                        || d.equals("max-age=0") || d.equals("s-maxage=0")) {
                    return false;
                }
                fresh |= d.startsWith("max-age=") || d.startsWith("s-maxage=");
            }
        }
        return fresh;
    }
}
