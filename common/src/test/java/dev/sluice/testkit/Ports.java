package dev.sluice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loopback ports for tests. */
public final class Ports {
    private Ports() {
    }

    /** Ports this JVM already handed out: never given twice. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 1_000;

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago (the kernel picked it) and that this JVM has
     * not handed out before. The kernel may well pick the same port twice in a row once it is closed
     * again; two listeners given one port would then share it through SO_REUSEPORT (haproxy and our
     * balancer both set it) and split each other's connections.
     */
    public static int free() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new AssertionError("no fresh loopback port in " + ATTEMPTS + " attempts");
    }

    /** True once something accepts TCP connections on {@code host:port}. */
    public static boolean accepting(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until {@code host:port} accepts, or throws after {@code timeout}. */
    public static void awaitAccepting(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepting(host, port)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing accepted on " + host + ":" + port + " within " + timeout);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
