package dev.sluice.balancer.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The last part of a Content-Length body, carrying its final bytes: such a body has no trailers,
 * so unlike Netty's {@code DefaultLastHttpContent} it makes no headers object for them (the empty,
 * read-only trailers of {@link LastHttpContent#EMPTY_LAST_CONTENT}).
 */
final class FinalBytes extends DefaultHttpContent implements LastHttpContent {

    FinalBytes(ByteBuf content) {
        super(content);
    }

    @Override
    public HttpHeaders trailingHeaders() {
        return LastHttpContent.EMPTY_LAST_CONTENT.trailingHeaders();
    }

    @Override
    public LastHttpContent copy() {
        return replace(content().copy());
    }

    @Override
    public LastHttpContent duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public LastHttpContent retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public LastHttpContent replace(ByteBuf content) {
        FinalBytes copy = new FinalBytes(content);
        copy.setDecoderResult(decoderResult());
        return copy;
    }

    @Override
    public LastHttpContent retain() {
        super.retain();
        return this;
    }

    @Override
    public LastHttpContent retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public LastHttpContent touch() {
        super.touch();
        return this;
    }

    @Override
    public LastHttpContent touch(Object hint) {
        super.touch(hint);
        return this;
    }
}
