package dev.sluice.balancer.runtime;

/**
 * How HTTP/1 connections end, from {@code option http-keep-alive} (HAProxy's default),
 * {@code option http-server-close} and {@code option httpclose}, declared weakest first. As in
 * HAProxy 2.6, the server side of a request runs under the stronger of its frontend's and its
 * backend's modes, while only the frontend's {@code httpclose} closes the client connection.
 */
public enum HttpConnectionMode {
    /** Both connections stay open between requests; server connections are pooled. */
    KEEP_ALIVE,
    /** The client connection stays open; each server connection carries one request ({@code Connection: close}). */
    SERVER_CLOSE,
    /** Both connections close after the response; both sides are told {@code Connection: close}. */
    CLOSE;

    /** The stronger of the two modes. */
    public HttpConnectionMode with(HttpConnectionMode other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** Whether the server connection closes after the response. */
    public boolean closesServer() {
        return this != KEEP_ALIVE;
    }
}
