package dev.sluice.balancer.rules;

import dev.sluice.balancer.format.FormatString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A response made by the balancer itself for {@code deny}, {@code tarpit}, {@code return} and
 * {@code redirect}: a status, headers whose values are log-format strings, and a body that is
 * fixed bytes or a log-format string ({@code lf-string}).
 *
 * @param body      fixed body bytes, or null
 * @param bodyFormat a log-format body, or null
 * @param location  whether the redirect location goes in a {@code location} header
 * @param noCache   whether {@code cache-control: no-cache} is added (error pages and redirects, not {@code return})
 */
public record Reply(int status, String contentType, byte[] body, FormatString bodyFormat, List<Header> headers,
                    boolean location, boolean noCache) {

    /** One {@code hdr NAME FMT} of the reply. */
    public record Header(String name, FormatString value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** HAProxy's own pages for the statuses rules answer with when no body is configured. */
    private static final Map<Integer, String> PAGES = Map.of(
            403, "Request forbidden by administrative rules.",
            500, "An internal server error occurred.",
            502, "The server returned an invalid or incomplete response.",
            503, "No server is available to handle this request.",
            429, "You have sent too many requests in a given amount of time.",
            400, "Your browser sent an invalid request.",
            401, "This server could not verify that you are authorized to access the document requested.",
            404, "The requested URL was not found on this server.",
            405, "A request was made of a resource using a request method not supported by that resource.",
            410, "The resource requested is no longer available and will not be available again.");

    public Reply {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200 to 599)");
        }
        headers = List.copyOf(headers);
        body = body == null ? null : body.clone();
    }

    /** The page HAProxy sends for {@code status} when nothing else is configured ({@code deny}, {@code tarpit}). */
    public static Reply defaultPage(int status) {
        String text = PAGES.get(status);
        if (text == null) {
            return new Reply(status, null, null, null, List.of(), false, true);
        }
        String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
        String page = "<html><body><h1>" + status + " " + reason + "</h1>\n" + text + "\n</body></html>\n";
        return new Reply(status, "text/html", page.getBytes(StandardCharsets.ISO_8859_1), null, List.of(), false, true);
    }

    /** This reply made for the request {@code context} holds (an {@code http-error} page); the caller releases it. */
    public FullHttpResponse render(RuleContext context, ByteBufAllocator alloc) {
        return build(context, null, alloc);
    }

    FullHttpResponse build(RuleContext context, String redirectTo, ByteBufAllocator alloc) {
        ByteBuf content;
        if (bodyFormat != null) {
            content = alloc.buffer();
            content.writeCharSequence(context.render(bodyFormat), StandardCharsets.UTF_8);
        } else if (body != null) {
            content = alloc.buffer(body.length).writeBytes(body);
        } else {
            content = alloc.buffer(0);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), content);
        var h = response.headers();
        h.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (location && redirectTo != null) {
            h.set(HttpHeaderNames.LOCATION, redirectTo);
        }
        if (contentType != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (noCache) {
            h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        }
        for (Header header : headers) {
            h.add(header.name(), context.renderString(header.value()));
        }
        return response;
    }
}
