package dev.sluice.balancer.http;

import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.balancer.front.Drain;
import dev.sluice.balancer.io.Deadline;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.runtime.H2Limits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An HTTP/2 client connection: Netty's frame codec with our limits and its flood protections, a
 * multiplexer that gives each stream a child channel, and on each stream the same
 * {@link HttpExchangeHandler} as an HTTP/1.1 connection, behind {@link H2StreamSide}. Streams
 * share the connection's event loop, so their server connections are pooled on it as well.
 *
 * <p>Backpressure is per stream: a stream channel reads on demand, so a stream whose server is
 * slow stops granting the client window credit for it, while the connection window (raised to
 * cover every stream's window) leaves the others flowing. A stream's writability follows its
 * send window, so a client slow to read one response stops only that server's reads.
 */
public final class H2Connection {
    static final String CODEC = "h2-codec";
    static final String MUX = "h2-mux";
    static final String GUARD = "h2-guard";
    private static final String STREAM_CODEC = "h2-stream-codec";
    private static final Logger log = LogManager.getLogger(H2Connection.class);

    /** Set on a client connection of a {@code proto h2} bind: HTTP/2 with prior knowledge. */
    private static final AttributeKey<Boolean> PRIOR_KNOWLEDGE = AttributeKey.valueOf(H2Connection.class, "h2c");

    /** RST_STREAM frames a client may send per window before GOAWAY (rapid reset, CVE-2023-44487). */
    static final int MAX_RST_PER_WINDOW = 200;
    static final int RST_WINDOW_SECONDS = 30;
    /** RST_STREAM frames a client may make us send per window (MadeYouReset, CVE-2025-55163). */
    static final int MAX_PROVOKED_RST_PER_WINDOW = 200;
    /** Control frames (PING/SETTINGS acks, RSTs) queued unwritten because the client does not read. */
    static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
    /** Empty DATA frames without END_STREAM in a row (they cost work and carry nothing). */
    static final int MAX_CONSECUTIVE_EMPTY_DATA = 2;
    /** Small CONTINUATION frames in a row (CVE-2024-27316 class: headers dribbled byte by byte). */
    static final int MAX_SMALL_CONTINUATIONS = 16;
    /** Streams in flight get this long to finish after a graceful GOAWAY (drain). */
    static final long DRAIN_GRACE_MILLIS = 30_000;
    /** The connection window never exceeds this, however many streams times their window. */
    static final int MAX_CONNECTION_WINDOW = 16 * 1024 * 1024;
    /** RFC 9113 §6.9.2: every connection starts with this window. */
    private static final int DEFAULT_WINDOW = 65_535;

    private H2Connection() {
    }

    /** Marks {@code channel} (of a {@code proto h2} bind) as speaking HTTP/2 from its first byte. */
    public static void markPriorKnowledge(Channel channel) {
        channel.attr(PRIOR_KNOWLEDGE).set(Boolean.TRUE);
    }

    static boolean priorKnowledge(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(PRIOR_KNOWLEDGE).get());
    }

    /** Installs the HTTP/2 handlers on {@code channel}, which reads from now on as frames arrive. */
    static void install(Channel channel, HttpFrontend front, H2Limits limits, int maxHeaderList) {
        Http2FrameCodec codec = codec(limits, maxHeaderList, new H2StreamRefusals(front));
        Guard guard = new Guard(front);
        codec.connection().addListener(guard);
        channel.pipeline()
                .addLast(CODEC, codec)
                .addLast(MUX, new Http2MultiplexHandler(new StreamInitializer(front)))
                .addLast(GUARD, guard);
        int connectionWindow = (int) Math.min(MAX_CONNECTION_WINDOW,
                (long) limits.maxConcurrentStreams() * limits.initialWindowSize());
        if (connectionWindow > DEFAULT_WINDOW) {
            channel.pipeline().context(GUARD).write(new DefaultHttp2WindowUpdateFrame(connectionWindow - DEFAULT_WINDOW));
        }
        // Frames are read as they come: flow control, not read demand, bounds each stream.
        channel.config().setAutoRead(true);
    }

    static Http2FrameCodec codec(H2Limits limits, int maxHeaderList, Http2FrameLogger streamRefusals) {
        Http2Settings settings = new Http2Settings()
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .initialWindowSize(limits.initialWindowSize())
                .maxFrameSize(limits.maxFrameSize())
                .headerTableSize(limits.headerTableSize())
                .maxHeaderListSize(maxHeaderList);
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .autoAckPingFrame(true)
                .autoAckSettingsFrame(true)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_PROVOKED_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATIONS)
                .gracefulShutdownTimeoutMillis(DRAIN_GRACE_MILLIS)
                .frameLogger(streamRefusals)
                .build();
    }

    /** Each new stream: the object codec, the stream side, and an exchange reading on demand. */
    private static final class StreamInitializer extends ChannelInitializer<Channel> {
        private final HttpFrontend front;

        StreamInitializer(HttpFrontend front) {
            this.front = front;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        protected void initChannel(Channel stream) {
            Channel connection = stream.parent();
            InetSocketAddress client = ClientAddress.of(connection);
            if (client != null) {
                ClientAddress.set(stream, client);
            }
            stream.config().setAutoRead(false);
            H2StreamSide side = new H2StreamSide();
            stream.pipeline()
                    .addLast(STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(true))
                    .addLast(H2StreamSide.NAME, side)
                    .addLast(HttpFrontend.EXCHANGE, new HttpExchangeHandler(front, side,
                            new ConnectionFacts(connection, front.state())));
            front.addBodyWait(stream, false); // option http-buffer-request
        }
    }

    /**
     * The connection's own handler: ends it gracefully (GOAWAY, then the streams in flight
     * finish) on drain or when no stream is open for the keep-alive timeout, and counts every
     * GOAWAY we send by its reason.
     */
    private static final class Guard extends ChannelInboundHandlerAdapter implements Http2Connection.Listener {
        private final HttpFrontend front;
        private ChannelHandlerContext ctx;
        private Deadline idle;
        private int openStreams;

        Guard(HttpFrontend front) {
            this.front = front;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            idle = new Deadline(ctx.executor(), this::idleTimedOut);
            idle.arm(front.clientTimeouts().effectiveHttpRequest());
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == Drain.EVENT) {
                // Netty's close is the graceful one: GOAWAY with the last stream we took, then
                // the connection closes when those streams end (or after DRAIN_GRACE_MILLIS).
                ctx.close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            idle.cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Protocol errors were answered by the codec (GOAWAY or RST_STREAM) and counted below.
            log.debug("{}: {}", ctx.channel(), cause.toString());
        }

        private void idleTimedOut() {
            if (openStreams == 0) {
                ctx.close();
            }
        }

        @Override
        public void onStreamActive(Http2Stream stream) {
            openStreams++;
            idle.disarm();
        }

        @Override
        public void onStreamClosed(Http2Stream stream) {
            if (--openStreams == 0 && ctx.channel().isActive()) {
                idle.arm(front.clientTimeouts().effectiveHttpKeepAlive());
            }
        }

        @Override
        public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
            H2Refusal reason = H2Refusal.of(errorCode, H2Refusal.text(debugData));
            front.count(reason);
            log.debug("{}: GOAWAY sent: {} ({})", ctx.channel(), reason.code(), reason.sentence());
        }

        @Override
        public void onStreamAdded(Http2Stream stream) {
        }

        @Override
        public void onStreamHalfClosed(Http2Stream stream) {
        }

        @Override
        public void onStreamRemoved(Http2Stream stream) {
        }

        @Override
        public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
        }
    }
}
