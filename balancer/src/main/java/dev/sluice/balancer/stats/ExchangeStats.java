package dev.sluice.balancer.stats;

/**
 * One HTTP client connection's view of the counters: the exchange handler calls one method at
 * each step of a request, and this class updates the frontend, backend and server figures and
 * keeps the timestamps for HAProxy's timers (Tw queue, Tc connect, Tr response, Tt total).
 * Made once per connection; nothing is allocated per request.
 */
public final class ExchangeStats {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Counters front;
    private Counters backend;
    private Counters server;
    private long begun;
    private long queuedAt;
    private long queueNanos = -1;
    private long connectStart;
    private long connectNanos = -1;
    private long responseNanos = -1;
    private boolean sessionOpen;

    public ExchangeStats(Counters front) {
        this.front = front;
    }

    /** A request head arrived and passed the message checks. */
    public void begin() {
        begun = System.nanoTime();
        front.request(begun);
        queueNanos = -1;
        connectNanos = -1;
        responseNanos = -1;
    }

    /** The request was answered by the balancer itself (stats page, exporter). */
    public void intercepted(int status) {
        front.interceptedRequest();
        front.response(status);
    }

    /** An {@code http-request deny} or {@code tarpit} rule refused the request with {@code status}. */
    public void denied(int status) {
        front.deniedRequest();
        front.response(status);
    }

    /** The request waits in {@code backend}'s queue, now {@code depth} long. */
    public void queued(Counters backend, int depth) {
        queuedAt = System.nanoTime();
        backend.queued(depth);
    }

    /** A server slot was taken for the request. */
    public void serverTaken(Counters backend, Counters server) {
        long now = System.nanoTime();
        if (queuedAt != 0) {
            queueNanos = now - queuedAt;
            queuedAt = 0;
        }
        closeSession();
        this.backend = backend;
        this.server = server;
        backend.sessionOpened(now);
        server.sessionOpened(now);
        backend.request(now);
        sessionOpen = true;
    }

    /** A connection to the server is being opened ({@code reused} false) or a pooled one taken. */
    public void connecting(boolean reused) {
        connectStart = System.nanoTime();
        if (server != null) {
            server.connectAttempt(reused);
            backend.connectAttempt(reused);
        }
    }

    public void connected() {
        connectNanos = System.nanoTime() - connectStart;
    }

    public void connectFailed(boolean retrying, boolean redispatching) {
        if (server == null) {
            return;
        }
        if (retrying) {
            server.retry();
            backend.retry();
            if (redispatching) {
                server.redispatch();
                backend.redispatch();
            }
        } else {
            server.connectError();
            backend.connectError();
        }
    }

    /**
     * One retry of the request, counted on the server of the failed attempt and the backend as
     * HAProxy 2.6 counts it: {@code wredis} when the retry went to another server, else {@code wretr}.
     * An L7 retry ({@code retry-on} after sending) counts one {@code wretr} more, before the choice.
     */
    public void retried(boolean moved) {
        if (server == null) {
            return;
        }
        if (moved) {
            server.redispatch();
            backend.redispatch();
        } else {
            server.retry();
            backend.retry();
        }
    }

    /**
     * Another attempt of the same request takes a slot on {@code next} (the same server or another):
     * a session there, while the backend's session goes on.
     */
    public void attemptTaken(Counters next) {
        if (backend == null) {
            return;
        }
        if (sessionOpen) {
            server.sessionClosed();
        }
        server = next;
        next.sessionOpened(System.nanoTime());
        sessionOpen = true;
    }

    /** The server answered something that is not an HTTP response (eresp), and the request goes again. */
    public void responseFailed() {
        if (server != null) {
            server.responseError();
            backend.responseError();
        }
    }

    /** A response head (final or interim) went to the client. */
    public void response(int status) {
        if (responseNanos < 0 && status >= 200) {
            responseNanos = System.nanoTime() - begun;
        }
        front.response(status);
        if (server != null) {
            backend.response(status);
            server.response(status);
        }
    }

    /** Bytes written to the server (request head and body) while this exchange owns the connection. */
    public void requestBytes(int bytes) {
        if (server != null) {
            backend.bytesOut(bytes);
            server.bytesOut(bytes);
        }
    }

    /** Bytes read from the server (response head and body) while this exchange owns the connection. */
    public void responseBytes(int bytes) {
        if (server != null) {
            backend.bytesIn(bytes);
            server.bytesIn(bytes);
        }
    }

    /** The exchange ended with a complete response. */
    public void finish() {
        if (server != null) {
            long totalNanos = System.nanoTime() - begun;
            long q = millis(queueNanos);
            long c = millis(connectNanos);
            long r = millis(responseNanos);
            long t = totalNanos / NANOS_PER_MILLI;
            backend.timings(q, c, r, t);
            server.timings(q, c, r, t);
        }
        closeSession();
    }

    /**
     * The balancer refused the request with an error page of {@code status}. {@code client} marks
     * a fault of the client's request ({@code ereq}); {@code connect} a failed connect
     * ({@code econ}); otherwise a server that failed to answer ({@code eresp}).
     */
    public void refused(int status, boolean client, boolean connect) {
        front.response(status);
        if (client) {
            front.requestError();
        } else if (server != null) {
            // HAProxy counts its own error page in the backend's responses, never in the server's.
            backend.response(status);
            if (connect) {
                server.connectError();
                backend.connectError();
            } else {
                server.responseError();
                backend.responseError();
            }
        }
        closeSession();
    }

    /** The server failed after part of its response reached the client. */
    public void serverFailedMidResponse() {
        if (server != null) {
            server.responseError();
            backend.responseError();
            server.serverAbort();
            backend.serverAbort();
        }
        closeSession();
    }

    /** The client went away or timed out in the middle of an exchange. */
    public void clientAborted() {
        if (server != null && sessionOpen) {
            server.clientAbort();
            backend.clientAbort();
        }
        closeSession();
    }

    private void closeSession() {
        if (sessionOpen) {
            backend.sessionClosed();
            server.sessionClosed();
            sessionOpen = false;
        }
        backend = null;
        server = null;
        queuedAt = 0;
    }

    private static long millis(long nanos) {
        return nanos < 0 ? -1 : nanos / NANOS_PER_MILLI;
    }
}
