package dev.sluice.balancer.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * Every reason the HTTP engine answers with an error instead of the server's response, with the
 * status sent, a short code for logs and counters, and a sentence saying what happened.
 * Header blocks over {@code tune.bufsize} get 431 (HAProxy answers 400 there); the status line
 * is what differs, the connection is closed either way.
 */
public enum HttpRefusal {
    MALFORMED_REQUEST(400, "bad-req", "the request head is malformed (syntax, header name or value, Transfer-Encoding)"),
    AMBIGUOUS_LENGTH(400, "bad-length", "the request carries both Content-Length and Transfer-Encoding, or an invalid or repeated Content-Length"),
    OBSOLETE_FOLDING(400, "obs-fold", "a request header line is folded onto the next line"),
    TOO_MANY_HEADERS(400, "too-many-hdr", "the request has more header lines than tune.http.maxhdr allows (100 by default, as HAProxy)"),
    AMBIGUOUS_HOST(400, "bad-host", "the request carries more than one Host header"),
    TRANSFER_CODING(422, "bad-coding", "the request uses a transfer coding other than chunked alone, as HAProxy refuses"),
    URI_TOO_LONG(414, "uri-too-long", "the request line is longer than the limit"),
    HEADERS_TOO_LARGE(431, "hdr-too-large", "the request head is larger than tune.bufsize"),
    REQUEST_TIMEOUT(408, "req-timeout", "the request head did not arrive within timeout http-request"),
    FORBIDDEN_HEADER_NAME(403, "bad-hdr-name", "a request header name has a character other than a letter, a digit "
            + "or '-' and option http-restrict-req-hdr-names is reject"),
    NO_BACKEND(503, "no-backend", "no backend was chosen for the request"),
    NO_SERVER(503, "no-server", "no server of the backend is available"),
    QUEUE_FULL(503, "queue-full", "the server the request must go to already has maxqueue requests waiting"),
    QUEUE_TIMEOUT(503, "queue-timeout", "every server stayed at its maxconn for timeout queue"),
    CONNECT_FAILED(503, "connect-failed", "every connection attempt to the server failed"),
    BAD_RESPONSE(502, "bad-resp", "the server's response is invalid"),
    NO_RESPONSE(502, "no-resp", "the server closed the connection without a response"),
    SERVER_TIMEOUT(504, "srv-timeout", "the server did not answer within timeout server");

    private final int status;
    private final String code;
    private final String sentence;

    HttpRefusal(int status, String code, String sentence) {
        this.status = status;
        this.code = code;
        this.sentence = sentence;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String sentence() {
        return sentence;
    }

    /** What passive health ({@code observe layer7}) makes of this failure of the server's, or null. */
    public dev.sluice.balancer.runtime.ServerObserve.Event observed() {
        return switch (this) {
            case BAD_RESPONSE -> dev.sluice.balancer.runtime.ServerObserve.Event.HTTP_INVALID;
            case NO_RESPONSE -> dev.sluice.balancer.runtime.ServerObserve.Event.HTTP_CLOSED;
            case SERVER_TIMEOUT -> dev.sluice.balancer.runtime.ServerObserve.Event.HTTP_READ_TIMEOUT;
            default -> null;
        };
    }

    /** The refusal for a request the decoder could not accept. */
    public static HttpRefusal forDecoderFailure(Throwable cause) {
        if (cause instanceof HeadRefusedException refused) {
            return refused.refusal();
        }
        if (cause instanceof TooLongHttpLineException) {
            return URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HEADERS_TOO_LARGE;
        }
        if (cause instanceof ObsoleteFoldingException) {
            return OBSOLETE_FOLDING;
        }
        if (cause instanceof io.netty.handler.codec.http.ContentLengthNotAllowedException) {
            return AMBIGUOUS_LENGTH;
        }
        String message = cause.getMessage();
        if (message != null && message.contains("Content-Length")) {
            return AMBIGUOUS_LENGTH;
        }
        return MALFORMED_REQUEST;
    }
}
