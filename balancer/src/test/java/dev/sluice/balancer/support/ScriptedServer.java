package dev.sluice.balancer.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * A plain-socket server that records every request head it receives (exact bytes) and answers
 * each with a fixed raw reply — or with nothing, to play a hung server. Keeps connections alive.
 */
public final class ScriptedServer implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 64;

    private final ServerSocket socket;
    private final byte[] reply;
    /** Bound on the chunks (and trailer lines) of one request body this test server reads. */
    private static final int MAX_CHUNKS = 100_000;

    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile boolean echoAfterReply;
    private volatile java.util.concurrent.CountDownLatch holdFirst;
    private volatile boolean closeAfterReply;
    private volatile boolean dropSecondRequest;
    private volatile boolean closeUnanswered;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger replies = new AtomicInteger();

    /** @param reply the raw bytes sent after each request head, or {@code null} to stay silent */
    public ScriptedServer(String reply) {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.reply = reply == null ? null : reply.getBytes(StandardCharsets.ISO_8859_1);
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    /** After the first reply on a connection, echo every byte back (a tunnel's far end). */
    public ScriptedServer echoAfterReply() {
        echoAfterReply = true;
        return this;
    }

    /** Closes each connection after its first reply (a close-delimited HTTP/1.0 server). */
    public ScriptedServer closeAfterReply() {
        closeAfterReply = true;
        return this;
    }

    /** Hangs up, unanswered, on the second request of each connection (a keep-alive race). */
    public ScriptedServer dropSecondRequest() {
        dropSecondRequest = true;
        return this;
    }

    /** Reads each request whole, then closes without a byte of response (a server that died). */
    public ScriptedServer closeUnanswered() {
        closeUnanswered = true;
        return this;
    }

    /** The Content-Length bodies received, in order (ISO-8859-1 text). */
    public List<String> bodies() {
        return bodies;
    }

    /** The very first reply waits until {@code latch} opens (a slow request holding a slot). */
    public ScriptedServer holdFirstReplyUntil(java.util.concurrent.CountDownLatch latch) {
        holdFirst = latch;
        return this;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    public List<String> heads() {
        return heads;
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed() && connections.get() < MAX_CONNECTIONS) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            int onThisConnection = 0;
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                heads.add(head);
                if (++onThisConnection == 2 && dropSecondRequest) {
                    return;
                }
                int length = contentLength(head);
                if (length > 0) {
                    bodies.add(new String(in.readNBytes(length), StandardCharsets.ISO_8859_1));
                } else if (chunked(head) && !skipChunkedBody(in)) {
                    // Unframed body: a deterministic reply is impossible, so the connection ends.
                    return;
                }
                if (closeUnanswered) {
                    return;
                }
                if (replies.getAndIncrement() == 0 && holdFirst != null) {
                    try {
                        holdFirst.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (reply != null) {
                    client.getOutputStream().write(reply);
                    client.getOutputStream().flush();
                }
                if (closeAfterReply) {
                    return;
                }
                if (echoAfterReply) {
                    in.transferTo(client.getOutputStream());
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    private static boolean chunked(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("transfer-encoding:") && lower.trim().endsWith("chunked")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a chunked body to its end (trailers included), so that it is never taken for the next
     * request's head: without this, whether body lines showed up in {@link #heads()} depended on
     * how fast this thread read compared with the test's. False on a malformed chunk or early end.
     */
    private static boolean skipChunkedBody(InputStream in) throws IOException {
        for (int chunks = 0; chunks < MAX_CHUNKS; chunks++) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                return false;
            }
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (size == 0) {
                for (int trailers = 0; trailers < MAX_CHUNKS; trailers++) {
                    String trailer = readLine(in);
                    if (trailer == null) {
                        return false;
                    }
                    if (trailer.isEmpty()) {
                        return true;
                    }
                }
                return false;
            }
            in.readNBytes(size);
            if (readLine(in) == null) {
                return false;
            }
        }
        return false;
    }

    /** One CRLF-terminated line without its CRLF, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        acceptor.interrupt();
    }
}
