package dev.sluice.terminator.server;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Why a TLS handshake failed, as counted and logged; classified from the handshake's exception. */
public enum HandshakeFailure {
    TIMEOUT("timeout", "the handshake did not finish within ssl-handshake-timeout"),
    CLIENT_CLOSED("client_closed", "the client closed the connection during the handshake"),
    NOT_TLS("not_tls", "the client did not speak TLS"),
    PROTOCOL_VERSION("protocol_version", "no TLS version in common"),
    NO_SHARED_CIPHER("no_shared_cipher", "no cipher suite or group in common"),
    UNKNOWN_NAME("unknown_name", "the client asked for a server name we have no certificate for"),
    CLIENT_ALERT("client_alert", "the client rejected our certificate or aborted with an alert"),
    OTHER("other", "another TLS error");

    private final String code;
    private final String sentence;

    HandshakeFailure(String code, String sentence) {
        this.code = code;
        this.sentence = sentence;
    }

    public String code() {
        return code;
    }

    public String sentence() {
        return sentence;
    }

    /** How deep a wrapped cause (a DecoderException around an SSLException…) is looked into. */
    private static final int MAX_CAUSE_DEPTH = 5;

    /** Classifies by exception type first, then by the BoringSSL reason text, through wrapping causes. */
    public static HandshakeFailure of(Throwable cause) {
        HandshakeFailure found = OTHER;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH && found == OTHER; depth++) {
            found = classify(cause);
            cause = cause.getCause();
        }
        return found;
    }

    private static HandshakeFailure classify(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return TIMEOUT;
        }
        if (cause instanceof ClosedChannelException) {
            return CLIENT_CLOSED;
        }
        String message = String.valueOf(cause.getMessage()).toUpperCase(Locale.ROOT);
        if (message.contains("NOT_SSL_RECORD") || message.contains("NOT AN SSL/TLS RECORD")
                || message.contains("HTTP_REQUEST") || message.contains("WRONG_VERSION_NUMBER")) {
            return NOT_TLS;
        }
        if (message.contains("UNSUPPORTED_PROTOCOL") || message.contains("PROTOCOL_VERSION")) {
            return PROTOCOL_VERSION;
        }
        if (message.contains("NO_SHARED_CIPHER") || message.contains("NO_SHARED_GROUP")
                || message.contains("HANDSHAKE_FAILURE_ON_CLIENT_HELLO")) {
            return NO_SHARED_CIPHER;
        }
        if (message.contains("UNRECOGNIZED_NAME") || message.contains("SNI")) {
            return UNKNOWN_NAME;
        }
        if (message.contains("TLSV1_ALERT") || message.contains("SSLV3_ALERT")) {
            return CLIENT_ALERT;
        }
        return OTHER;
    }
}
