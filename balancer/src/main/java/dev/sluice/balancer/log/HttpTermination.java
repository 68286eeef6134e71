package dev.sluice.balancer.log;

import dev.sluice.balancer.http.HttpRefusal;

/** The termination state and status HAProxy logs for each of our own HTTP answers. */
public final class HttpTermination {
    private HttpTermination() {
    }

    /**
     * Records an answer the proxy makes itself for {@code refusal}, before it is sent (the
     * connection closes right after; the line is written by {@link LogRecord#end()} once the
     * page went out, so %B counts it).
     */
    public static void refused(LogRecord record, HttpRefusal refusal) {
        record.answered(refusal.status());
        record.freezeCounters();
        switch (refusal) {
            case REQUEST_TIMEOUT -> record.terminated(Termination.CLIENT_TIMEOUT, Termination.AT_REQUEST);
            case NO_SERVER, CONNECT_FAILED -> record.terminated(Termination.SERVER, Termination.AT_CONNECT);
            case QUEUE_TIMEOUT -> record.terminated(Termination.SERVER_TIMEOUT, Termination.AT_QUEUE);
            case SERVER_TIMEOUT -> record.terminated(Termination.SERVER_TIMEOUT, Termination.AT_HEADERS);
            case NO_RESPONSE -> record.terminated(Termination.SERVER, Termination.AT_HEADERS);
            case BAD_RESPONSE -> record.terminated(Termination.PROXY, Termination.AT_HEADERS);
            default -> record.terminated(Termination.PROXY, Termination.AT_REQUEST);
        }
    }
}
