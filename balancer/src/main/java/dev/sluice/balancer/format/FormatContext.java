package dev.sluice.balancer.format;

import dev.sluice.balancer.acl.RequestView;

/**
 * What a compiled log-format string reads while it renders: the request and connection (for
 * {@code %[sample]} and the connection aliases) and the names of the proxies and server involved.
 * The access log extends this interface with its timers and termination state and registers the
 * aliases that read them in its own {@link AliasTable} (see {@link AliasTable#with}).
 */
public interface FormatContext {

    /** The request and connection being handled; never null. */
    RequestView request();

    /** The frontend's name ({@code %f}). */
    CharSequence frontendName();

    /** The chosen backend's name ({@code %b}), or null before one is chosen. */
    CharSequence backendName();

    /** The chosen server's name ({@code %s}), or null before one is chosen. */
    CharSequence serverName();

    /** The unique request id ({@code %ID}), or null when none is defined. */
    default CharSequence uniqueId() {
        return null;
    }

    /** Requests this process has accepted before this one ({@code %rt}), or -1 when not counted. */
    default long requestCounter() {
        return -1;
    }

    /** When the request was accepted, in milliseconds since the epoch ({@code %t}). */
    default long acceptedAtMillis() {
        return System.currentTimeMillis();
    }
}
