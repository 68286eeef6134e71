package dev.sluice.balancer.http;

import dev.sluice.balancer.acl.RequestView;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * A request answered by a {@link LocalService}: its body is gathered (bounded) and handed to the
 * service once complete. Made only for such requests, which are rare next to proxied ones.
 */
final class LocalExchange {
    /** The stats admin form is a few hundred bytes; anything far larger is not for us. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final LocalService service;
    private final HttpRequest request;
    private final CompositeByteBuf body;
    private boolean tooLarge;
    private boolean broken;

    /** The name the access log shows as the server of this answer. */
    String serviceName() {
        return service.logName();
    }

    LocalExchange(LocalService service, HttpRequest request, ByteBufAllocator alloc) {
        this.service = service;
        this.request = request;
        this.body = alloc.compositeBuffer();
    }

    /** Takes one part of the request body (and releases it); true once the request is complete. */
    boolean add(HttpObject part) {
        try {
            if (part instanceof HttpContent content && !tooLarge) {
                if (body.readableBytes() + content.content().readableBytes() > MAX_BODY_BYTES) {
                    tooLarge = true;
                } else if (content.content().isReadable()) {
                    body.addComponent(true, content.content().retain());
                }
            }
            broken |= part.decoderResult().isFailure();
            return part instanceof LastHttpContent || broken;
        } finally {
            ReferenceCountUtil.release(part);
        }
    }

    /** The service's answer (413 when the body was too large, 400 when it was malformed); releases the body. */
    FullHttpResponse answer(RequestView view, ByteBufAllocator alloc) {
        try {
            if (tooLarge || broken) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, broken
                        ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                return response;
            }
            return service.answer(request, body, view, alloc);
        } finally {
            body.release();
        }
    }

    /** Drops the gathered body without answering (the client went away). */
    void discard() {
        if (body.refCnt() > 0) {
            body.release();
        }
    }
}
