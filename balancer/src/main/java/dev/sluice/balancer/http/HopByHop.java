package dev.sluice.balancer.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1):
 * {@code Connection} and every header it names, {@code Keep-Alive}, {@code TE}, {@code Trailer},
 * {@code Upgrade} (kept for a tunnel), {@code Proxy-Connection}, {@code Proxy-Authenticate} and
 * {@code Proxy-Authorization}. {@code Transfer-Encoding} stays on the message because the
 * encoders frame the body from it; the chunked framing itself is re-made on each hop.
 * A {@code Connection} token naming a framing header ({@code Content-Length},
 * {@code Transfer-Encoding}) or {@code Host} is ignored: removing those would change how the
 * next hop reads the message, which is exactly what request smuggling exploits.
 */
public final class HopByHop {
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    // Netty deprecates its constant (HTTP/2 forbids the header); HTTP/1.1 peers still send it.
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final List<AsciiString> ALWAYS = List.of(KEEP_ALIVE, HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER, PROXY_CONNECTION, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION);

    private HopByHop() {
    }

    /** Strips hop-by-hop headers; {@code keepUpgrade} leaves {@code Upgrade} for a tunnel. */
    public static void strip(HttpHeaders headers, boolean keepUpgrade) {
        // get() first: most requests have no or one Connection line, and getAll() allocates.
        if (headers.get(HttpHeaderNames.CONNECTION) != null) {
            for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
                removeNamed(headers, value);
            }
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        for (AsciiString name : ALWAYS) {
            headers.remove(name);
        }
        if (!keepUpgrade) {
            headers.remove(HttpHeaderNames.UPGRADE);
        }
    }

    /** True when {@code Connection} carries {@code token} (case-insensitive, comma lists). */
    public static boolean connectionHas(HttpHeaders headers, AsciiString token) {
        return headers.containsValue(HttpHeaderNames.CONNECTION, token, true);
    }

    /** An {@code Upgrade} request: {@code Connection: upgrade} and an {@code Upgrade} header. */
    public static boolean isUpgrade(HttpHeaders headers) {
        return headers.contains(HttpHeaderNames.UPGRADE) && connectionHas(headers, HttpHeaderValues.UPGRADE);
    }

    private static void removeNamed(HttpHeaders headers, String value) {
        int start = 0;
        int length = value.length();
        while (start < length) {
            int comma = value.indexOf(',', start);
            int stop = comma < 0 ? length : comma;
            String token = value.substring(start, stop).trim();
            if (!token.isEmpty() && !protectedName(token)) {
                headers.remove(token);
            }
            start = stop + 1;
        }
    }

    private static boolean protectedName(String token) {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(token)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(token)
                || HttpHeaderNames.HOST.contentEqualsIgnoreCase(token)
                || HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(token)
                || HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(token)
                || HttpHeaderValues.UPGRADE.contentEqualsIgnoreCase(token);
    }
}
