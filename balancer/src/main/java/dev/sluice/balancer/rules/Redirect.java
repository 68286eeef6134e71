package dev.sluice.balancer.rules;

import dev.sluice.balancer.format.FormatString;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import java.util.Objects;

/**
 * {@code redirect location|prefix|scheme TARGET [code N] [drop-query] [append-slash]
 * [set-cookie NAME[=V]] [clear-cookie NAME[=]]}, as a proxy keyword or an {@code http-request} action.
 */
final class Redirect implements Action {

    enum Kind { LOCATION, PREFIX, SCHEME }

    static final List<Integer> CODES = List.of(301, 302, 303, 307, 308);

    private final Kind kind;
    private final FormatString target;
    private final boolean dropQuery;
    private final boolean appendSlash;
    private final Reply reply;

    /**
     * @param cookie the whole {@code Set-Cookie} value to send, or null. Only the temporary 302, 303 and
     *               307 say {@code cache-control: no-cache}, as haproxy 2.6 does.
     */
    Redirect(Kind kind, FormatString target, int code, boolean dropQuery, boolean appendSlash, String cookie) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.target = Objects.requireNonNull(target, "target");
        if (!CODES.contains(code)) {
            throw new IllegalArgumentException("code: " + code + " (expected: one of " + CODES + ")");
        }
        this.dropQuery = dropQuery;
        this.appendSlash = appendSlash;
        List<Reply.Header> headers = cookie == null ? List.of()
                : List.of(new Reply.Header(HttpHeaderNames.SET_COOKIE.toString(), FormatString.literal(cookie)));
        this.reply = new Reply(code, null, null, null, headers, true, code != 301 && code != 308);
    }

    @Override
    public Verdict apply(RuleContext context) {
        String location = location(context);
        if (location == null) {
            return Verdict.CONTINUE;
        }
        context.reply(reply, location);
        return Verdict.REPLY;
    }

    private String location(RuleContext context) {
        String written = context.renderString(target);
        if (kind == Kind.LOCATION) {
            return written;
        }
        String uri = context.httpRequest().uri();
        int start = RequestLineActions.pathStart(uri);
        int query = uri.indexOf('?', start);
        String path = query < 0 ? uri.substring(start) : uri.substring(start, query);
        if (path.isEmpty()) {
            path = "/";
        }
        if (appendSlash && !path.endsWith("/")) {
            path += "/";
        }
        String tail = path + (dropQuery || query < 0 ? "" : uri.substring(query));
        if (kind == Kind.PREFIX) {
            // A prefix of "/" means the original path alone (used with set-cookie).
            return written.equals("/") ? tail : written + tail;
        }
        String host = context.httpRequest().headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty()) {
            return null;
        }
        return written + "://" + host + tail;
    }
}
