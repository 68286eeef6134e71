package dev.sluice.balancer.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP server that speaks first: on each connection it writes its greeting in parts, a pause
 * between them (so that a proxy inspecting the server's first bytes has to wait for the rest), then
 * echoes what the client sends (or drops it, {@link #withoutEcho()}) until the client's FIN, and closes. Bounded in connections and
 * echoed bytes; stopped by {@link #close()}.
 */
public final class GreetingServer implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 64;
    /** More than any test sends; the echo stops there. */
    private static final int MAX_ECHO_BYTES = 1 << 20;

    private final ServerSocket socket;
    private final List<byte[]> greeting;
    private final long pauseMillis;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean echo = true;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** @param pauseMillis the pause between two parts of the greeting */
    public GreetingServer(long pauseMillis, String... parts) {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.pauseMillis = pauseMillis;
        this.greeting = java.util.Arrays.stream(parts).map(p -> p.getBytes(StandardCharsets.ISO_8859_1)).toList();
        Thread.ofVirtual().start(this::acceptLoop);
    }

    /** Reads and discards what the client sends instead of echoing it (only the greeting comes back). */
    public GreetingServer withoutEcho() {
        echo = false;
        return this;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Connections accepted so far. */
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
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < greeting.size(); i++) {
                if (i > 0) {
                    Thread.sleep(pauseMillis);
                }
                out.write(greeting.get(i));
                out.flush();
            }
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[4096];
            int echoed = 0;
            int n;
            while (echoed < MAX_ECHO_BYTES && (n = in.read(buffer)) > 0) {
                if (echo) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
                echoed += n;
            }
        } catch (IOException e) {
            // the proxy closed the connection: nothing more to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
