package dev.sluice.balancer.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately bare HTTP/2 client for tests: it writes frames byte by byte as RFC 9113 §4
 * lays them out (so it can write what a well-behaved codec never would) and reads the frames the
 * server answers. Headers are HPACK-encoded with Netty's encoder; floods are written raw.
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Frames read while looking for one; a server answers a test in far fewer. */
    private static final int MAX_FRAMES_READ = 2_000_000;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

    /** A frame as read: its type, flags, stream and payload. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of a GOAWAY or RST_STREAM. */
        public long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private RawH2(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects, sends the preface and an empty SETTINGS frame. */
    public static RawH2 connect(SocketAddress address, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(address, 5_000);
            socket.setSoTimeout(10_000);
            RawH2 client = new RawH2(socket);
            client.out.write(PREFACE);
            client.frame(SETTINGS, 0, 0, new byte[0]);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RawH2 connect(SocketAddress address) {
        return connect(address, 0);
    }

    public RawH2 frame(int type, int flags, int stream, byte[] payload) {
        try {
            out.write(header(payload.length, type, flags, stream));
            out.write(payload);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes raw bytes (many frames at once); false when the server has closed. */
    public boolean raw(byte[] bytes) {
        try {
            out.write(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static byte[] header(int length, int type, int flags, int stream) {
        return new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    }

    /** An HPACK block for a request to {@code path}. */
    public byte[] requestBlock(String method, String path) {
        Http2Headers headers = new DefaultHttp2Headers().method(method).scheme("http").authority("h2.test").path(path);
        ByteBuf buf = Unpooled.buffer();
        try {
            hpack.encodeHeaders(0, headers, buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        } finally {
            buf.release();
        }
    }

    public RawH2 request(int stream, String method, String path, boolean endStream) {
        return frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, requestBlock(method, path));
    }

    public RawH2 rst(int stream, int errorCode) {
        return frame(RST_STREAM, 0, stream, new byte[] {(byte) (errorCode >>> 24), (byte) (errorCode >>> 16),
                (byte) (errorCode >>> 8), (byte) errorCode});
    }

    public RawH2 windowUpdate(int stream, int increment) {
        return frame(WINDOW_UPDATE, 0, stream, new byte[] {(byte) (increment >>> 24), (byte) (increment >>> 16),
                (byte) (increment >>> 8), (byte) increment});
    }

    public RawH2 flush() {
        try {
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until one of {@code type} on {@code stream} (any stream for GOAWAY); null at EOF. */
    public Frame await(int type, int stream) {
        try {
            for (int i = 0; i < MAX_FRAMES_READ; i++) {
                Frame frame = read();
                if (frame.type == type && (type == GOAWAY || frame.stream == stream)) {
                    return frame;
                }
            }
            throw new IllegalStateException("no frame of type " + type + " within " + MAX_FRAMES_READ + " frames");
        } catch (EOFException | java.net.SocketException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no frame of type " + type + " within the socket timeout", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The next frame, null at the end of the stream (or a reset), or {@code TIMED_OUT} when none
     * came within {@code millis}.
     */
    public Frame next(int millis) {
        try {
            socket.setSoTimeout(millis);
            return read();
        } catch (EOFException | java.net.SocketException e) {
            return null;
        } catch (SocketTimeoutException e) {
            return TIMED_OUT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link #next} returns when the peer stayed silent. */
    public static final Frame TIMED_OUT = new Frame(-1, 0, 0, new byte[0]);

    private Frame read() throws IOException {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(type, flags, stream, payload);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
