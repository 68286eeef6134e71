package dev.sluice.balancer.http;

import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.rules.Reply;
import dev.sluice.balancer.rules.RuleContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The refusal page for a status: the errorfile-like page of {@link ErrorPages}, or the
 * {@code http-error} reply made for this request (log-format body and headers) in the same raw
 * HTTP/1.1 form, so that everything after (http-after-response, the encoder) treats both alike.
 */
final class ErrorReplyPage {

    private ErrorReplyPage() {
    }

    /**
     * A raw response the caller writes (and so releases); {@code request} and {@code route} are null
     * when the request never got that far.
     */
    static ByteBuf page(ErrorPages pages, int status, RequestRules rules, ConnectionFacts facts, HttpRequest request,
                        Route route, ByteBufAllocator alloc) {
        Reply reply = pages.reply(status);
        if (reply == null) {
            return pages.page(status);
        }
        RuleContext context = rules.context();
        if (request != null && context.httpRequest() != request) {
            context.startRequest(request);
        }
        if (route != null) {
            context.backend(route.backend().plan().name());
        }
        facts.request(request);
        FullHttpResponse response = reply.render(context, alloc);
        try {
            return serialize(response, alloc);
        } finally {
            response.release();
            facts.request(null);
        }
    }

    /**
     * HAProxy 2.6's order: the {@code hdr} headers as written, then the length and the type; the
     * connection closes after a refusal, which the last header says.
     */
    private static ByteBuf serialize(FullHttpResponse response, ByteBufAllocator alloc) {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(response.status().code()).append(' ')
                .append(response.status().reasonPhrase()).append("\r\n");
        String type = null;
        for (Map.Entry<String, String> header : response.headers()) {
            String name = header.getKey();
            if (HttpHeaderNames.CONTENT_TYPE.contentEqualsIgnoreCase(name)) {
                type = header.getValue();
            } else if (!HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
                head.append(name).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        head.append("content-length: ").append(response.content().readableBytes()).append("\r\n");
        if (type != null) {
            head.append("content-type: ").append(type).append("\r\n");
        }
        head.append("connection: close\r\n\r\n");
        ByteBuf out = alloc.buffer(head.length() + response.content().readableBytes());
        out.writeCharSequence(head, StandardCharsets.ISO_8859_1);
        out.writeBytes(response.content(), response.content().readerIndex(), response.content().readableBytes());
        return out;
    }
}
