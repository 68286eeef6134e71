package dev.sluice.balancer.stats;

import io.netty.channel.Channel;

/** The counters of a {@code mode tcp} connection: one session on its backend and server while it lasts. */
public final class TcpSessionStats {
    private TcpSessionStats() {
    }

    /** {@code client} was given a slot on a server: counted until the client connection closes. */
    public static void opened(Counters backend, Counters server, Channel client) {
        long now = System.nanoTime();
        backend.sessionOpened(now);
        server.sessionOpened(now);
        client.closeFuture().addListener(f -> {
            backend.sessionClosed();
            server.sessionClosed();
        });
    }

    /** A connect to the server failed; {@code retrying} when another attempt follows. */
    public static void connectFailed(Counters backend, Counters server, boolean retrying) {
        if (retrying) {
            backend.retry();
            server.retry();
        } else {
            backend.connectError();
            server.connectError();
        }
    }
}
