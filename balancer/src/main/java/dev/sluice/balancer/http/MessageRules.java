package dev.sluice.balancer.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * How a request head is rewritten for the server and a response head for the client: pure
 * decisions over the headers, kept apart from the I/O of the exchange so each can be tested alone.
 */
final class MessageRules {
    /** The response must end the client connection (sent with {@code Connection: close}). */
    static final int CLOSE_CLIENT = 1;
    /** The server connection may go back to the pool once the response is complete. */
    static final int SERVER_REUSABLE = 2;

    /**
     * Header lines a request may carry: HAProxy 2.6 with its {@code tune.http.maxhdr} default
     * (101) accepts 100 lines and refuses 101 with 400 (measured by {@code DifferentialIT}).
     */
    static final int MAX_HEADERS = 100;

    private MessageRules() {
    }

    /**
     * Rewrites a client request for the server: hop-by-hop headers go (Upgrade stays for an upgrade,
     * with {@code Connection: upgrade}), the forwardfor line is appended, and an HTTP/1.0 request
     * asks to keep the connection so it can be pooled. The version is kept, as HAProxy does.
     */
    static void prepareRequest(HttpRequest request, boolean upgrade, ForwardedFor forwardedFor, AsciiString forwardedValue) {
        prepareRequest(request, upgrade, forwardedFor, forwardedValue, false);
    }

    /**
     * As above; {@code closeServer} ({@code option http-server-close} or {@code httpclose}) asks the
     * server to close after its response, as HAProxy does: {@code Connection: close} on an HTTP/1.1
     * request, no {@code Connection} header at all on an HTTP/1.0 one (closing is its default).
     */
    static void prepareRequest(HttpRequest request, boolean upgrade, ForwardedFor forwardedFor, AsciiString forwardedValue,
                               boolean closeServer) {
        HttpHeaders headers = request.headers();
        if (request.protocolVersion().majorVersion() != 1) {
            // "HTTP/2.0" and the like on an HTTP/1 connection: HAProxy forwards them as 1.1.
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        HopByHop.strip(headers, upgrade);
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        forwardedFor.apply(headers, forwardedValue);
        if (upgrade) {
            return;
        }
        boolean http10 = request.protocolVersion().minorVersion() == 0;
        if (closeServer && !http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!closeServer && http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /**
     * What the decoder leaves to us: a second Host header (which one would route the request?)
     * and transfer codings other than a lone {@code chunked} (the server might decode them
     * differently; HAProxy refuses them with 422). {@code null} when the request may go on.
     */
    static HttpRefusal check(HttpRequest request) {
        return check(request, MAX_HEADERS);
    }

    /** As above, with {@code maxHeaders} header lines at most ({@code tune.http.maxhdr} - 1). */
    static HttpRefusal check(HttpRequest request, int maxHeaders) {
        HttpHeaders headers = request.headers();
        if (tooManyHeaders(headers, maxHeaders)) {
            return HttpRefusal.TOO_MANY_HEADERS;
        }
        // An iterator, not getAll(): no list per request for the common single Host.
        java.util.Iterator<? extends CharSequence> hosts = headers.valueCharSequenceIterator(HttpHeaderNames.HOST);
        if (hosts.hasNext()) {
            hosts.next();
            if (hosts.hasNext()) {
                return HttpRefusal.AMBIGUOUS_HOST;
            }
        }
        String coding = headers.get(HttpHeaderNames.TRANSFER_ENCODING);
        if (coding != null && !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(coding.trim())) {
            return HttpRefusal.TRANSFER_CODING;
        }
        return null;
    }

    /**
     * Whether a head has more than {@code maxHeaders} header lines. HAProxy 2.6's HTTP/1 parser
     * consumes {@code Connection} lines instead of keeping them, so they do not count (measured).
     */
    static boolean tooManyHeaders(HttpHeaders headers, int maxHeaders) {
        if (headers.size() <= maxHeaders) {
            return false;
        }
        int lines = headers.size();
        for (var it = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION); it.hasNext(); it.next()) {
            lines--;
        }
        return lines > maxHeaders;
    }

    /** True when the request carries no body at all (no chunked coding, no or zero length). */
    static boolean bodyless(HttpRequest request) {
        return !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0L;
    }

    /**
     * Rewrites a final server response for the client and says what happens to both connections
     * ({@link #CLOSE_CLIENT}, {@link #SERVER_REUSABLE} bits). A close-delimited body is chunked for
     * an HTTP/1.1 client so its connection survives; an HTTP/1.0 client cannot read chunks, so a
     * chunked or close-delimited body reaches it close-delimited. Responses to HEAD and 204/304
     * have no body whatever their headers say.
     */
    static int prepareResponse(HttpResponse response, boolean answeringHead, boolean http10Client, boolean clientKeepAlive) {
        HttpHeaders headers = response.headers();
        int status = response.status().code();
        boolean serverKeepAlive = HttpUtil.isKeepAlive(response);
        HopByHop.strip(headers, false);
        boolean bodyless = answeringHead || status == 204 || status == 304;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean framed = bodyless || chunked || headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        boolean close = !clientKeepAlive;
        if (!bodyless) {
            if (!framed) {
                if (http10Client) {
                    close = true;
                } else {
                    headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                }
            } else if (chunked && http10Client) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                close = true;
            }
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        return (close ? CLOSE_CLIENT : 0) | (serverKeepAlive && framed ? SERVER_REUSABLE : 0);
    }

    /** RFC 9110 §9.2.2: a request that may be sent twice without changing the outcome. */
    static boolean idempotent(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method) || HttpMethod.TRACE.equals(method);
    }
}
