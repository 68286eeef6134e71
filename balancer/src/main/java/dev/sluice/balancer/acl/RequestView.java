package dev.sluice.balancer.acl;

/**
 * What fetches read from one request and its connection. The engine implements it over its own
 * request and connection objects without copying: every {@link CharSequence} may be a view of the
 * parsed bytes (for instance a Netty {@code AsciiString}); fetches compare it in place and never keep
 * it past the call. Accessors are called on the event loop that owns the request.
 *
 * <p>A method returns {@code null} (or a negative number where stated) when the value does not
 * exist, which makes the fetch fail, as HAProxy's fetches do (so {@code -m found} is false).
 */
public interface RequestView {

    /** The request method as received, e.g. {@code GET}. */
    CharSequence method();

    /** The request target as received: origin form {@code /p?q}, absolute form, or {@code *}. */
    CharSequence uri();

    /** The HTTP version without the {@code HTTP/} prefix ({@code 1.0}, {@code 1.1}, {@code 2.0}), or null outside HTTP. */
    CharSequence version();

    /** Number of header field lines, in received order (a repeated field is several lines). */
    int headerCount();

    /** The name of field line {@code index} (0-based); compared case-insensitively by fetches. */
    CharSequence headerName(int index);

    /** The value of field line {@code index}, without surrounding whitespace. */
    CharSequence headerValue(int index);

    /** The client address: from the PROXY header when one was accepted, else the socket peer; null for unix sockets. */
    IpAddress source();

    /** The client port, or -1. */
    int sourcePort();

    /** The address the client connected to (PROXY header destination when present), or null. */
    IpAddress destination();

    /** The destination port, or -1. */
    int destinationPort();

    /**
     * The value of a top-level PROXY v2 TLV of this type (0–255) as ISO-8859-1 characters (one char per byte), or
     * null when absent or when no PROXY v2 header was received.
     */
    CharSequence proxyTlv(int type);

    /** Whether the PROXY v2 SSL TLV says the client connected over TLS (PP2_CLIENT_SSL). */
    boolean proxySsl();

    /** The PP2_SUBTYPE_SSL_VERSION sub-TLV (e.g. {@code TLSv1.3}), or null. */
    CharSequence proxySslVersion();

    /** The PP2_SUBTYPE_SSL_CIPHER sub-TLV (e.g. {@code TLS_AES_128_GCM_SHA256}), or null. */
    CharSequence proxySslCipher();

    /** Backend and server state for {@code nbsrv}, {@code be_conn}, {@code srv_is_up}…; never null. */
    StateView state();

    /** The connection's tracked counters (sc0..sc2) for the {@code sc*_} fetches, or null when it tracks nothing. */
    default dev.sluice.balancer.stick.TrackedCounters trackedCounters() {
        return null;
    }

    /** The client connection, whose tracked counters {@code http-request track-scN} fills; null outside the engine. */
    default io.netty.channel.Channel channel() {
        return null;
    }

    /** The status of the response being handled ({@code http-response} rules), or -1 outside a response. */
    default int responseStatus() {
        return -1;
    }

    /** The last value of response header {@code name} (lower case), or null when absent or outside a response. */
    default CharSequence responseHeader(String name) {
        return null;
    }

    /** The connection's variables ({@code var()} fetch, {@code set-var} actions), or null when it keeps none. */
    default Variables variables() {
        return null;
    }

    /** The connection's first bytes while {@code tcp-request content} rules inspect them (mode tcp), else null. */
    default Payload payload() {
        return null;
    }

    /** The server's first bytes while {@code tcp-response content} rules inspect them (mode tcp), else null. */
    default Payload responsePayload() {
        return null;
    }
}
