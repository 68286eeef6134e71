package dev.sluice.testkit;

import java.io.IOException;
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
     * Listening ports come from below Linux's ephemeral range (32768-60999 by default), where the
     * kernel never picks the local port of an outgoing connection: a port it handed us could be
     * taken by any client socket before our listener binds it.
     */
    private static final int LOW = 10_000;
    private static final int HIGH = 32_000;

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago and that this JVM has not handed out
     * before: two listeners given one port would share it through SO_REUSEPORT (haproxy and our
     * balancer both set it) and split each other's connections.
     */
    public static int free() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException e) {
                continue; // in use
            }
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new AssertionError("no free loopback port in " + LOW + ".." + HIGH + " after " + ATTEMPTS + " attempts");
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
