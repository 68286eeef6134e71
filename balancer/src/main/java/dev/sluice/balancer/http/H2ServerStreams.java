package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.ServerProtocol;
import dev.sluice.balancer.stats.ServerBytes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Requests to {@code proto h2} servers: each becomes a stream of an HTTP/2 connection (h2c with prior
 * knowledge, as HAProxy 2.6 speaks to a clear-text {@code proto h2} server) that the exchanges of one
 * event loop share. A stream is a child channel whose pipeline turns the exchange's HTTP/1 objects into
 * frames and back, so {@link HttpExchangeHandler} drives it as it drives an HTTP/1.1 server connection:
 * writes while the stream is writable (its send window), reads on demand (what it does not read is not
 * granted back as window credit, so a slow client stops only its own stream).
 *
 * <p>A request takes a stream on a connection of its event loop with room (below the server's
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS}, not going away), else a new connection is opened, as HAProxy
 * opens another connection when the ones it has are full. Each stream holds one slot of the server's
 * {@code maxconn}, as one of HAProxy's streams does. Connections are shared by every client of the loop
 * whatever {@code http-reuse} says, except {@code never}: then each request has a connection of its own.
 */
final class H2ServerStreams {
    private static final String CODEC = "h2-server-codec";
    private static final String MUX = "h2-server-mux";
    private static final String STREAM_CODEC = "h2-server-stream-codec";

    /** Each stream's receive window: what a server may send ahead of the client reading it. */
    static final int STREAM_WINDOW = 256 * 1024;
    /** The connection's receive window: room for many streams' windows, bounded. */
    static final int CONNECTION_WINDOW = 16 * 1024 * 1024;
    /** The largest response header list we accept from a server (the frontend's bound is tune.bufsize). */
    static final int MAX_HEADER_LIST = 64 * 1024;

    /** Each event loop's connections, by server; only that loop's exchanges touch its map. */
    private static final FastThreadLocal<Map<Server, List<H2ServerSession>>> SESSIONS = new FastThreadLocal<>() {
        @Override
        protected Map<Server, List<H2ServerSession>> initialValue() {
            return new IdentityHashMap<>();
        }
    };

    private static final ChannelHandler STREAM_INITIALIZER = new StreamInitializer();

    private H2ServerStreams() {
    }

    /** True when {@code server} speaks HTTP/2 ({@code proto h2}). */
    static boolean speaksH2(Server server) {
        return server.plan().connections().protocol() == ServerProtocol.H2;
    }

    static int connectionWindow() {
        return CONNECTION_WINDOW;
    }

    /**
     * Opens a stream to {@code server} for a request of {@code loop} (the caller's own loop) and gives
     * {@code done} a succeeded future of the stream channel, or a failed one of the connection that
     * could not be opened. {@code shared}: false under {@code http-reuse never}.
     */
    static void openStream(Connector connector, EventLoop loop, Server server, boolean shared,
                           Consumer<ChannelFuture> done) {
        if (!shared) {
            connect(connector, loop, server, null).open(done);
            return;
        }
        List<H2ServerSession> sessions = SESSIONS.get().computeIfAbsent(server, s -> new ArrayList<>(2));
        for (int i = 0; i < sessions.size(); i++) {
            H2ServerSession session = sessions.get(i);
            if (session.hasRoom()) {
                session.open(done);
                return;
            }
        }
        connect(connector, loop, server, sessions).open(done);
    }

    /** Whether {@code stream} rides on a connection that carried a request before (a reused connection). */
    static boolean reused(Channel stream) {
        return H2ServerSession.reused(stream);
    }

    private static H2ServerSession connect(Connector connector, EventLoop loop, Server server,
                                           List<H2ServerSession> sessions) {
        H2ServerSession[] self = new H2ServerSession[1];
        H2ServerSession session = new H2ServerSession(server, sessions == null, () -> forget(server, sessions, self[0]));
        self[0] = session;
        ChannelFuture connect = connector.connect(loop, server);
        // Registration ran on this loop already, so the initializer has built the pipeline.
        connect.channel().pipeline().addLast(H2ServerSession.NAME, session);
        if (sessions != null) {
            sessions.add(session);
        }
        connect.addListener((io.netty.channel.ChannelFutureListener) f -> session.connected(f, STREAM_INITIALIZER,
                connector.connectTimeout()));
        return session;
    }

    private static void forget(Server server, List<H2ServerSession> sessions, H2ServerSession session) {
        if (sessions == null) {
            return;
        }
        sessions.remove(session);
        if (sessions.isEmpty()) {
            SESSIONS.get().remove(server, sessions);
        }
    }

    /** The pipeline of a new HTTP/2 server connection: the frame codec and the stream multiplexer. */
    @ChannelHandler.Sharable
    static final class ConnectionInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel channel) {
            channel.pipeline()
                    .addLast(CODEC, codec())
                    .addLast(MUX, new Http2MultiplexHandler(PUSH_REFUSED));
        }
    }

    private static Http2FrameCodec codec() {
        Http2Settings settings = new Http2Settings()
                .pushEnabled(false)
                .initialWindowSize(STREAM_WINDOW)
                .maxHeaderListSize(MAX_HEADER_LIST);
        return Http2FrameCodecBuilder.forClient()
                .initialSettings(settings)
                .validateHeaders(true)
                .autoAckPingFrame(true)
                .autoAckSettingsFrame(true)
                // Streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS wait for one to close.
                .encoderEnforceMaxConcurrentStreams(true)
                .build();
    }

    /** Push is disabled in our SETTINGS: a stream the server opens anyway is refused. */
    private static final ChannelHandler PUSH_REFUSED = new PushRefused();

    @ChannelHandler.Sharable
    private static final class PushRefused extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ctx.channel().close();
        }
    }

    /** Each stream: bytes counted, frames ↔ HTTP/1 objects, the h2 specifics, then the exchange's end. */
    @ChannelHandler.Sharable
    private static final class StreamInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel stream) {
            stream.pipeline()
                    .addLast(ServerBytes.NAME, new ServerBytes())
                    .addLast(STREAM_CODEC, new Http2StreamFrameToHttpObjectCodec(false))
                    .addLast(H2ServerStream.NAME, new H2ServerStream())
                    .addLast(ServerConnection.NAME, new ServerConnection(true));
        }
    }
}
