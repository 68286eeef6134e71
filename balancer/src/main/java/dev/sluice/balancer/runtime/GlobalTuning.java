package dev.sluice.balancer.runtime;

/**
 * Global limits of the HTTP messages and sockets: {@code tune.http.maxhdr},
 * {@code tune.rcvbuf.client|server}, {@code tune.sndbuf.client|server}.
 *
 * @param maxHeaderLines {@code tune.http.maxhdr}: the most lines a message head may have, its first
 *                       line included (HAProxy's default 101): a request with more gets 400, a
 *                       response with more becomes a 502
 * @param rcvbufClient   SO_RCVBUF of accepted client sockets in bytes, 0 for the system's default
 * @param rcvbufServer   SO_RCVBUF of server sockets, 0 for the default
 * @param sndbufClient   SO_SNDBUF of client sockets, 0 for the default
 * @param sndbufServer   SO_SNDBUF of server sockets, 0 for the default
 * @param maxConnRate    {@code maxconnrate}: connections accepted per second over all listeners, 0 for no limit
 * @param maxSessRate    {@code maxsessrate}: the same for sessions; a connection becomes a session
 *                       as it is accepted here, so both limit the same count
 * @param maxRewrite     {@code tune.maxrewrite} in bytes: the room of a buffer kept for rewrites, so
 *                       a server's response head may fill only {@code tune.bufsize} minus it (a
 *                       larger one becomes a 502)
 */
public record GlobalTuning(int maxHeaderLines, int rcvbufClient, int rcvbufServer, int sndbufClient,
                           int sndbufServer, int maxConnRate, int maxSessRate, int maxRewrite) {

    public static final int DEFAULT_MAX_HEADER_LINES = 101;
    /** The request or status line plus at least one header. */
    public static final int MIN_MAX_HEADER_LINES = 2;
    /** HAProxy 2.6 refuses tune.http.maxhdr above 32767. */
    public static final int MAX_MAX_HEADER_LINES = 32_767;

    /** HAProxy's default tune.maxrewrite (as {@code config.model.Global.DEFAULT_MAXREWRITE}). */
    public static final int DEFAULT_MAX_REWRITE = 1_024;

    public static final GlobalTuning DEFAULTS = new GlobalTuning(DEFAULT_MAX_HEADER_LINES, 0, 0, 0, 0, 0, 0);

    /** With the default {@code tune.maxrewrite}. */
    public GlobalTuning(int maxHeaderLines, int rcvbufClient, int rcvbufServer, int sndbufClient, int sndbufServer,
                        int maxConnRate, int maxSessRate) {
        this(maxHeaderLines, rcvbufClient, rcvbufServer, sndbufClient, sndbufServer, maxConnRate, maxSessRate,
                DEFAULT_MAX_REWRITE);
    }

    /** Without connection rates. */
    public GlobalTuning(int maxHeaderLines, int rcvbufClient, int rcvbufServer, int sndbufClient, int sndbufServer) {
        this(maxHeaderLines, rcvbufClient, rcvbufServer, sndbufClient, sndbufServer, 0, 0);
    }

    public GlobalTuning {
        if (maxHeaderLines < MIN_MAX_HEADER_LINES || maxHeaderLines > MAX_MAX_HEADER_LINES) {
            throw new IllegalArgumentException("maxHeaderLines: " + maxHeaderLines + " (expected: "
                    + MIN_MAX_HEADER_LINES + ".." + MAX_MAX_HEADER_LINES + ")");
        }
        if (rcvbufClient < 0 || rcvbufServer < 0 || sndbufClient < 0 || sndbufServer < 0) {
            throw new IllegalArgumentException("socket buffers: " + rcvbufClient + "/" + rcvbufServer + "/"
                    + sndbufClient + "/" + sndbufServer + " (expected: >= 0)");
        }
        if (maxConnRate < 0 || maxSessRate < 0) {
            throw new IllegalArgumentException("rates: " + maxConnRate + "/" + maxSessRate + " (expected: >= 0)");
        }
        if (maxRewrite < 0) {
            throw new IllegalArgumentException("maxRewrite: " + maxRewrite + " (expected: >= 0)");
        }
    }

    /** Header lines a message may carry besides its first line. */
    public int maxHeaders() {
        return maxHeaderLines - 1;
    }

    /** The most bytes of a server's response head (its lines without their ends) in a {@code bufsize} buffer. */
    public int responseHeadRoom(int bufsize) {
        return Math.max(1, bufsize - maxRewrite);
    }
}
