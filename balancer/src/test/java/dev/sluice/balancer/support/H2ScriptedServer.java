package dev.sluice.balancer.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/2 server (h2c, prior knowledge) for tests, reading and writing frames as RFC 9113 lays
 * them out, so it can misbehave on purpose. Each request for {@code /reset} is answered with
 * RST_STREAM(INTERNAL_ERROR); {@code /hang} with nothing at all; any other path with 200 and the body "PATH conn=N" (N counts connections
 * from 1). With {@link #goAwayOnSecondStream()}, the first connection answers GOAWAY naming its first
 * stream as the last one processed as soon as a second stream opens, then answers the first.
 */
public final class H2ScriptedServer implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int ACK = 0x1;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int INTERNAL_ERROR = 0x2;
    /** Frames one connection may send this test server; a test needs far fewer. */
    private static final int MAX_FRAMES = 100_000;

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> resets = new CopyOnWriteArrayList<>();
    private final AtomicInteger endingHeaders = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean goAwayOnSecondStream;

    public H2ScriptedServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public H2ScriptedServer goAwayOnSecondStream() {
        goAwayOnSecondStream = true;
        return this;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Every request seen, as "conn=N PATH". */
    public List<String> requests() {
        return requests;
    }

    /** HEADERS frames that ended their stream (a request without a body in one frame). */
    public int headersEndingStream() {
        return endingHeaders.get();
    }

    /** Every RST_STREAM received, as "conn=N stream=S". */
    public List<String> resets() {
        return resets;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                open.add(client);
                int number = connections.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(client, number));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client, int number) {
        DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);
        DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
        boolean goAway = goAwayOnSecondStream && number == 1;
        int firstStream = 0;
        String firstPath = null;
        try (client) {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            in.readFully(new byte[PREFACE.length]);
            write(out, SETTINGS, 0, 0, new byte[0]);
            for (int i = 0; i < MAX_FRAMES; i++) {
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == SETTINGS && (flags & ACK) == 0) {
                    write(out, SETTINGS, ACK, 0, new byte[0]);
                } else if (type == PING && (flags & ACK) == 0) {
                    write(out, PING, ACK, 0, payload);
                } else if (type == HEADERS) {
                    String path = path(decoder, stream, payload, flags);
                    requests.add("conn=" + number + " " + path);
                    if ((flags & END_STREAM) != 0) {
                        endingHeaders.incrementAndGet();
                    }
                    if (goAway && firstStream == 0) {
                        firstStream = stream;
                        firstPath = path;
                    } else if (goAway) {
                        write(out, GOAWAY, 0, 0, new byte[] {(byte) (firstStream >>> 24), (byte) (firstStream >>> 16),
                                (byte) (firstStream >>> 8), (byte) firstStream, 0, 0, 0, 0});
                        answer(out, encoder, firstStream, firstPath, number);
                        goAway = false;
                    } else if (path.equals("/hang")) {
                        continue;
                    } else if (path.equals("/reset")) {
                        write(out, RST_STREAM, 0, stream, new byte[] {0, 0, 0, INTERNAL_ERROR});
                    } else {
                        answer(out, encoder, stream, path, number);
                    }
                }
                if (type == RST_STREAM) {
                    resets.add("conn=" + number + " stream=" + stream);
                }
                // DATA, WINDOW_UPDATE, RST_STREAM and the rest need no answer here.
            }
        } catch (IOException e) {
            // The peer closed: this connection is done.
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(DefaultHttp2HeadersDecoder decoder, int stream, byte[] payload, int flags)
            throws Http2Exception {
        int from = 0;
        int padding = 0;
        if ((flags & PADDED) != 0) {
            padding = payload[0] & 0xff;
            from = 1;
        }
        if ((flags & PRIORITY) != 0) {
            from += 5;
        }
        if ((flags & END_HEADERS) == 0) {
            throw new IllegalStateException("this test server reads header blocks in one frame only");
        }
        ByteBuf block = Unpooled.wrappedBuffer(payload, from, payload.length - from - padding);
        try {
            Http2Headers headers = decoder.decodeHeaders(stream, block);
            return String.valueOf(headers.path());
        } finally {
            block.release();
        }
    }

    private static void answer(OutputStream out, DefaultHttp2HeadersEncoder encoder, int stream, String path, int number)
            throws IOException, Http2Exception {
        byte[] body = (path + " conn=" + number + "\n").getBytes(StandardCharsets.US_ASCII);
        Http2Headers headers = new DefaultHttp2Headers().status("200")
                .set("content-length", String.valueOf(body.length));
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            write(out, HEADERS, END_HEADERS, stream, bytes);
        } finally {
            block.release();
        }
        write(out, DATA, END_STREAM, stream, body);
    }

    private static synchronized void write(OutputStream out, int type, int flags, int stream, byte[] payload)
            throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream});
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket client : open) {
                client.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
