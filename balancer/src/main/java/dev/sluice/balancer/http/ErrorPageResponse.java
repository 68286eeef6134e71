package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * An {@link ErrorPages} page (a raw HTTP/1.1 response, HAProxy's errorfile format) as a response
 * object, for clients that do not speak HTTP/1.1 on the wire (HTTP/2 streams). Refusals are rare,
 * so the page is parsed when sent. A page that cannot be read becomes a bare 500.
 */
final class ErrorPageResponse {
    private static final int STATUS_START = "HTTP/1.1 ".length();
    private static final int STATUS_END = STATUS_START + 3;

    private ErrorPageResponse() {
    }

    /** Takes ownership of {@code raw}; the body of the result is a slice of it. */
    static FullHttpResponse parse(ByteBuf raw) {
        String text = raw.toString(StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0 || text.length() < STATUS_END || !text.startsWith("HTTP/1.")) {
            raw.release();
            return bare(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
        int status;
        try {
            status = Integer.parseInt(text, STATUS_START, STATUS_END, 10);
        } catch (NumberFormatException e) {
            raw.release();
            return bare(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
        ByteBuf body = raw.retainedSlice(raw.readerIndex() + headEnd + 4, raw.readableBytes() - headEnd - 4);
        raw.release();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), body);
        int lineStart = text.indexOf("\r\n") + 2;
        while (lineStart < headEnd) {
            int lineEnd = text.indexOf("\r\n", lineStart);
            int colon = text.indexOf(':', lineStart);
            if (colon > lineStart && colon < lineEnd) {
                String name = text.substring(lineStart, colon).trim();
                if (!HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)
                        && !HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                    response.headers().add(name, text.substring(colon + 1, lineEnd).trim());
                }
            }
            lineStart = lineEnd + 2;
        }
        // The length that goes out is the body's, whatever the file claimed.
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static FullHttpResponse bare(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }
}
