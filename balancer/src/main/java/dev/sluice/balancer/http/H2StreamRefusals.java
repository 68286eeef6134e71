package dev.sluice.balancer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;

/**
 * Counts the refusals the codec makes on single streams, which no connection event reports: a
 * RST_STREAM we send (REFUSED_STREAM beyond the stream limit, or a stream-level protocol error)
 * and the 431 it answers to a header list over {@code tune.bufsize}. It hooks the codec's frame
 * logger, which sees every frame; logging itself stays as configured (off unless TRACE).
 */
final class H2StreamRefusals extends Http2FrameLogger {
    private static final String STATUS_431 = "431";

    private final HttpFrontend front;

    H2StreamRefusals(HttpFrontend front) {
        super(LogLevel.TRACE, H2StreamRefusals.class);
        this.front = front;
    }

    @Override
    public void logRstStream(Direction direction, ChannelHandlerContext ctx, int streamId, long errorCode) {
        // CANCEL is ours to send when we end a stream (early answer, server failure), counted there.
        if (direction == Direction.OUTBOUND && errorCode != Http2Error.CANCEL.code()) {
            front.count(errorCode == Http2Error.REFUSED_STREAM.code() ? H2Refusal.STREAM_REFUSED : H2Refusal.STREAM_ERROR);
        }
        super.logRstStream(direction, ctx, streamId, errorCode);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                           int padding, boolean endStream) {
        countHeaders(direction, headers);
        super.logHeaders(direction, ctx, streamId, headers, padding, endStream);
    }

    @Override
    public void logHeaders(Direction direction, ChannelHandlerContext ctx, int streamId, Http2Headers headers,
                           int streamDependency, short weight, boolean exclusive, int padding, boolean endStream) {
        countHeaders(direction, headers);
        super.logHeaders(direction, ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream);
    }

    private void countHeaders(Direction direction, Http2Headers headers) {
        if (direction == Direction.OUTBOUND) {
            CharSequence status = headers.status();
            if (status != null && STATUS_431.contentEquals(status)) {
                front.count(H2Refusal.STREAM_HEADERS_TOO_LARGE);
            }
        }
    }
}
