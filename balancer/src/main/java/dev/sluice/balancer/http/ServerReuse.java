package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.HttpReuse;
import dev.sluice.balancer.runtime.ServerConnections;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Which server connection one client connection's request goes on, and what becomes of it after the
 * response: {@code http-reuse}, {@code max-reuse}, and connections private to the client.
 *
 * <p>A connection is private to the client connection when it carried the client's PROXY header
 * ({@code send-proxy}: HAProxy 2.6 reuses it only for an identical header, which holds the client's port)
 * or under {@code http-reuse never}. A private connection is never parked in the server's shared pool: the
 * client keeps it aside for its next request to that server, and it closes with the client. One is kept
 * per client connection; a second one replaces it.
 *
 * <p>The streams of one HTTP/2 connection share its state, as HAProxy's session does: only the connection's
 * first stream is a "first request", and a private server connection outlives a stream until the client
 * connection closes. They run on the connection's event loop, so no lock is needed.
 */
final class ServerReuse {
    private static final AttributeKey<ServerReuse> SHARED = AttributeKey.valueOf(ServerReuse.class, "shared");

    private final boolean shared;
    private boolean streamSeen;
    private ServerConnection own;
    /** The connection this client parked in the server's pool last, while the client lives. */
    private Channel lastParked;

    private ServerReuse(boolean shared) {
        this.shared = shared;
    }

    /** The state of {@code client}'s requests: its own, or for an HTTP/2 stream its connection's. */
    static ServerReuse of(Channel client) {
        // An accepted connection's parent is its listener: only a stream's parent is a client connection.
        if (!(client instanceof io.netty.handler.codec.http2.Http2StreamChannel)) {
            return new ServerReuse(false);
        }
        Channel connection = client.parent();
        ServerReuse existing = connection.attr(SHARED).get();
        if (existing != null) {
            return existing;
        }
        ServerReuse created = new ServerReuse(true);
        connection.attr(SHARED).set(created);
        connection.closeFuture().addListener(f -> {
            created.closeOwn();
            created.endSession();
        });
        return created;
    }

    /**
     * An open connection to {@code server} this request may take, or null to connect: the client's own
     * first, then, as {@code mode} allows, one from the server's pool (a first request of a client
     * connection takes under {@code safe} only one whose client connection has ended, under
     * {@code aggressive} only an already reused one).
     */
    Channel take(Server server, HttpReuse mode, boolean firstRequest) {
        if (shared) {
            firstRequest = !streamSeen;
            streamSeen = true;
        }
        if (own != null && own.server() == server) {
            ServerConnection mine = own;
            own = null;
            if (mine.channel().isActive()) {
                return mine.channel();
            }
        }
        if (isPrivate(server, mode)) {
            return null;
        }
        return switch (mode) {
            case NEVER -> null;
            case SAFE -> firstRequest ? server.pollIdleOfEndedSession() : server.pollIdle(false);
            case AGGRESSIVE -> server.pollIdle(firstRequest);
            case ALWAYS -> server.pollIdle(false);
        };
    }

    /** The response on {@code conn} ended cleanly and the connection may serve again: keep, park or close it. */
    void release(ServerConnection conn, HttpReuse mode) {
        Server server = conn.server();
        ServerConnections settings = server.plan().connections();
        int served = conn.served();
        if (settings.maxReuse() != ServerConnections.UNLIMITED && served > settings.maxReuse()) {
            // max-reuse counts the requests after a connection's first one.
            close(conn);
            return;
        }
        if (isPrivate(server, mode)) {
            if (own != null && own != conn) {
                close(own);
            }
            own = conn;
            conn.detach();
            // A pending read shows the server closing it while it waits for our next request.
            conn.channel().read();
            return;
        }
        if (conn.park(served > 1)) {
            lastParked = conn.channel();
        } else {
            close(conn);
        }
    }

    /**
     * The server of the connection kept private to this client (http-reuse never, send-proxy…), or
     * null: what {@code option prefer-last-server} prefers, as HAProxy prefers its session's own.
     */
    Server ownServer() {
        return own != null && own.channel().isActive() ? own.server() : null;
    }

    /** The client connection ended: its private connection ends with it (an HTTP/2 stream's, with the connection). */
    void clientClosed() {
        if (!shared) {
            closeOwn();
            endSession();
        }
    }

    /** The session ended: the connection it parked last may serve other sessions' first requests (safe). */
    private void endSession() {
        if (lastParked != null) {
            Server.sessionEnded(lastParked);
            lastParked = null;
        }
    }

    private void closeOwn() {
        if (own != null) {
            close(own);
            own = null;
        }
    }

    private static boolean isPrivate(Server server, HttpReuse mode) {
        return mode == HttpReuse.NEVER || server.plan().connections().privateToClient();
    }

    private static void close(ServerConnection conn) {
        conn.detach();
        conn.channel().close();
    }
}
