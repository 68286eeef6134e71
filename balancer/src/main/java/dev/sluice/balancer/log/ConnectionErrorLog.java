package dev.sluice.balancer.log;

import dev.sluice.common.proxy.ProxyRefusal;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.apache.logging.log4j.Level;

/**
 * The lines of connections that fail before a request can exist: here, a PROXY header refused or
 * never sent on an {@code accept-proxy} bind (HAProxy 2.6 also logs failed TLS handshakes this way;
 * the terminator does TLS here). With {@code error-log-format}, the line is that format's, rendered
 * for the connection alone; without, HAProxy's short fixed line:
 * <pre>127.0.0.1:56059 [03/Dec/2012:17:35:10.380] frt/f1: Received an invalid PROXY protocol header</pre>
 * where {@code f1} is the bind's name, else its number in the frontend. Under {@code option
 * dontlognull}, a connection closed before sending anything or whose header came too late is not
 * logged, as HAProxy. One per listener.
 */
public final class ConnectionErrorLog {
    /** HAProxy 2.6's texts of its PROXY header errors ({@code conn_err_code_str}). */
    enum ProxyError {
        EMPTY("Connection closed while waiting for PROXY protocol header", true),
        // HAProxy decides dontlognull before it names a timeout: a late header is a null connection to it.
        TIMEOUT("Timeout while waiting for PROXY protocol header", true),
        TRUNCATED("Truncated PROXY protocol header received", false),
        NOT_HEADER("Received something which does not look like a PROXY protocol header", false),
        BAD_HEADER("Received an invalid PROXY protocol header", false),
        BAD_PROTOCOL("Received an unhandled protocol in the PROXY protocol header", false),
        /** Ours: HAProxy has no list of sources trusted to send a header. */
        UNTRUSTED("Received a PROXY protocol header from an untrusted source", false);

        final String text;
        /** A null connection to {@code option dontlognull}, which drops the line. */
        final boolean empty;

        ProxyError(String text, boolean empty) {
            this.text = text;
            this.empty = empty;
        }

        static ProxyError of(ProxyRefusal refusal) {
            return switch (refusal) {
                case NOT_PROXY, BAD_SIGNATURE -> NOT_HEADER;
                case BAD_V1, BAD_VERSION, BAD_COMMAND, BAD_LENGTH, TOO_LONG, BAD_TLV, BAD_CRC -> BAD_HEADER;
                case BAD_FAMILY -> BAD_PROTOCOL;
                case TIMEOUT -> TIMEOUT;
                case TRUNCATED -> TRUNCATED;
                case UNTRUSTED_SOURCE -> UNTRUSTED;
            };
        }
    }

    private final AccessLog log;
    private final String frontend;
    private final String bind;

    /**
     * @param frontend the frontend's name
     * @param bind     the bind's name, else its number in the frontend from 1 (HAProxy's listener id)
     */
    public ConnectionErrorLog(AccessLog log, String frontend, String bind) {
        this.log = log;
        this.frontend = frontend;
        this.bind = bind;
    }

    /** The PROXY header of {@code connection}, accepted at the given clocks, was refused. */
    public void proxyRefused(Channel connection, ProxyRefusal refusal, long acceptMillis, long acceptNanos) {
        write(connection, ProxyError.of(refusal), acceptMillis, acceptNanos);
    }

    /** {@code connection} closed before its PROXY header was complete (and before any refusal). */
    public void proxyMissing(Channel connection, long acceptMillis, long acceptNanos) {
        write(connection, ProxyError.EMPTY, acceptMillis, acceptNanos);
    }

    private void write(Channel connection, ProxyError error, long acceptMillis, long acceptNanos) {
        if (!log.enabled() || (error.empty && log.plan().dontLogNull())) {
            return;
        }
        if (log.plan().extras().errorFormat() != null) {
            LogRecord record = log.newRecord();
            record.connectionError(connection, acceptMillis, acceptNanos);
            log.write(record, System.nanoTime());
            return;
        }
        log.writeShort(connection.remoteAddress() instanceof InetSocketAddress peer ? peer : null, acceptMillis,
                frontend, bind, error.text);
    }

    /** The level of connection error lines: err under {@code option log-separate-errors}, else info. */
    static Level level(AccessLogPlan plan) {
        return plan.separateErrors() ? Level.ERROR : Level.INFO;
    }
}
