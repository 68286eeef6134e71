package dev.sluice.terminator.it;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A backend for tests: records the first bytes of every connection and, when told to expect one,
 * decodes the PROXY header with Netty's decoder into a {@link Header}; then either answers an
 * HTTP request with "ok" or echoes every byte back (closing its side when the input ends).
 */
final class CaptureBackend implements AutoCloseable {
    /** How many leading bytes each connection keeps for byte-for-byte comparisons. */
    static final int RAW_PREFIX = 512;

    enum Mode { HTTP_OK, ECHO }

    /** One decoded PROXY header, with TLVs flattened to (type, value) pairs in order. */
    record Header(String version, String command, String protocol, String source, String destination,
                  int sourcePort, int destinationPort, List<Tlv> tlvs, int sslClient, int sslVerify) {
    }

    record Tlv(int type, String value) {
    }

    /** What one connection delivered. */
    static final class Connection {
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        final java.util.concurrent.CountDownLatch decoded = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        volatile Header header;
        volatile long payloadBytes;

        /** The decoded PROXY header, once it has arrived. */
        Header header(Duration timeout) throws InterruptedException {
            if (!decoded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no PROXY header within " + timeout + "; raw: " + raw());
            }
            return header;
        }

        /** The first bytes, once the connection has closed. */
        byte[] rawAfterClose(Duration timeout) throws InterruptedException {
            if (!closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("backend connection still open after " + timeout);
            }
            return raw();
        }

        byte[] raw() {
            synchronized (raw) {
                return raw.toByteArray();
            }
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;
    private final LinkedBlockingQueue<Connection> connections = new LinkedBlockingQueue<>();

    private CaptureBackend(SocketAddress address, boolean unix, boolean expectProxy, Mode mode) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .channel(unix ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Connection connection = new Connection();
                        connections.add(connection);
                        if (ch instanceof DuplexChannel) {
                            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
                        }
                        ch.pipeline().addLast(new RawTap(connection));
                        if (expectProxy) {
                            ch.pipeline().addLast(new HAProxyMessageDecoder());
                        }
                        ch.pipeline().addLast(new Responder(connection, mode));
                    }
                });
        if (!unix) {
            bootstrap.option(ChannelOption.SO_BACKLOG, 1024);
        }
        this.listener = bootstrap.bind(address).syncUninterruptibly().channel();
    }

    static CaptureBackend tcp(boolean expectProxy, Mode mode) {
        return new CaptureBackend(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, expectProxy, mode);
    }

    static CaptureBackend unix(Path path, boolean expectProxy, Mode mode) {
        return new CaptureBackend(UnixDomainSocketAddress.of(path), true, expectProxy, mode);
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The next connection that arrived, waiting up to {@code timeout}. */
    Connection next(Duration timeout) throws InterruptedException {
        Connection connection = connections.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (connection == null) {
            throw new AssertionError("no backend connection within " + timeout);
        }
        return connection;
    }

    int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Copies the first bytes of the connection aside (a test may copy). */
    private static final class RawTap extends ChannelInboundHandlerAdapter {
        private final Connection connection;

        RawTap(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf) {
                synchronized (connection.raw) {
                    int room = RAW_PREFIX - connection.raw.size();
                    if (room > 0) {
                        connection.raw.writeBytes(ByteBufUtil.getBytes(buf, buf.readerIndex(), Math.min(room, buf.readableBytes())));
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final class Responder extends ChannelInboundHandlerAdapter {
        private final Connection connection;
        private final Mode mode;
        private final StringBuilder request = new StringBuilder();
        private boolean answered;

        Responder(Connection connection, Mode mode) {
            this.connection = connection;
            this.mode = mode;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HAProxyMessage header) {
                connection.header = snapshot(header);
                header.release();
                connection.decoded.countDown();
                return;
            }
            ByteBuf buf = (ByteBuf) msg;
            connection.payloadBytes += buf.readableBytes();
            if (mode == Mode.ECHO) {
                ctx.write(buf);
                return;
            }
            request.append(buf.toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(buf);
            if (!answered && request.indexOf("\r\n\r\n") >= 0) {
                answered = true;
                ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                        StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connection.closed.countDown();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static Header snapshot(HAProxyMessage message) {
        List<Tlv> tlvs = new ArrayList<>();
        int sslClient = -1;
        int sslVerify = -1;
        for (HAProxyTLV tlv : message.tlvs()) {
            if (!(tlv instanceof HAProxySSLTLV)) {
                tlvs.add(new Tlv(tlv.typeByteValue() & 0xff, tlv.content().toString(StandardCharsets.US_ASCII)));
            }
            // Netty's decoder lists the SSL TLV's sub-TLVs after it in the same list.
            if (tlv instanceof HAProxySSLTLV ssl) {
                tlvs.add(new Tlv(tlv.typeByteValue() & 0xff, ""));
                sslClient = ssl.client();
                sslVerify = ssl.verify();
            }
        }
        return new Header(message.protocolVersion().name(), message.command().name(), message.proxiedProtocol().name(),
                message.sourceAddress(), message.destinationAddress(), message.sourcePort(), message.destinationPort(),
                List.copyOf(tlvs), sslClient, sslVerify);
    }
}
