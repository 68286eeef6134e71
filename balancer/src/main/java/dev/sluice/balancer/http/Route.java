package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Connector;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.common.net.Transport;

/**
 * What an HTTP frontend uses once a request's backend is chosen: the backend, the
 * {@code X-Forwarded-For} settings of the pair, the error pages (the backend's override the
 * frontend's), and a connector with the backend's {@code timeout connect}. Built once per
 * frontend and backend, shared by every connection.
 */
final class Route {
    private final Backend backend;
    private final ForwardedFor forwardedFor;
    /** {@code option originalto}: forwardfor's rules over the destination address (see OriginalTo). */
    private final ForwardedFor originalTo;
    private final ErrorPages pages;
    private final Connector connector;
    /** Opens HTTP/2 connections to the backend's {@code proto h2} servers (see H2ServerStreams). */
    private final Connector h2Connector;
    private final boolean closesServer;
    /** {@link #closesServer} and the backend has no {@code option http-pretend-keepalive}. */
    private final boolean announcesClose;
    private final boolean closesClient;

    Route(FrontendPlan frontend, Backend backend, ErrorPages frontPages, int bufsize, Transport transport) {
        this(frontend, backend, frontPages, bufsize, transport, dev.sluice.balancer.runtime.GlobalTuning.DEFAULTS);
    }

    /** @param global tune.rcvbuf.server / tune.sndbuf.server for the backend's connections */
    Route(FrontendPlan frontend, Backend backend, ErrorPages frontPages, int bufsize, Transport transport,
          dev.sluice.balancer.runtime.GlobalTuning global) {
        this.backend = backend;
        this.forwardedFor = new ForwardedFor(frontend.forwardFor(), backend.plan().forwardFor());
        this.originalTo = new ForwardedFor(frontend.tuning().originalTo(), backend.plan().tuning().originalTo());
        this.pages = frontPages.overriddenBy(backend.plan().errorfiles(), backend.plan().extras().errorReplies());
        this.connector = new Connector(transport, backend.plan().timeouts().connect(),
                new HttpFrontend.ServerInitializer(bufsize, global.responseHeadRoom(bufsize)), backend.plan().tuning(), backend.plan().extras().noLinger(),
                global);
        this.h2Connector = new Connector(transport, backend.plan().timeouts().connect(),
                new H2ServerStreams.ConnectionInitializer(), backend.plan().tuning(), backend.plan().extras().noLinger(),
                global);
        // As HAProxy 2.6 does: either side's http-server-close or httpclose closes the server
        // connection, but only the frontend's httpclose closes the client's.
        this.closesServer = frontend.connectionMode().with(backend.plan().connectionMode()).closesServer();
        this.announcesClose = closesServer && !backend.plan().tuning().pretendKeepAlive();
        this.closesClient = frontend.connectionMode() == dev.sluice.balancer.runtime.HttpConnectionMode.CLOSE;
    }

    /** Each server connection carries one request: {@code Connection: close}, then closed. */
    boolean closesServer() {
        return closesServer;
    }

    /**
     * Whether the request tells the server {@code Connection: close}: a closing mode does unless the
     * backend pretends keep-alive (HAProxy 2.6 reads that option on the backend only).
     */
    boolean announcesClose() {
        return announcesClose;
    }

    /** The client connection closes after each response ({@code option httpclose} in the frontend). */
    boolean closesClient() {
        return closesClient;
    }

    Backend backend() {
        return backend;
    }

    ForwardedFor forwardedFor() {
        return forwardedFor;
    }

    ForwardedFor originalTo() {
        return originalTo;
    }

    ErrorPages pages() {
        return pages;
    }

    Connector connector() {
        return connector;
    }

    Connector h2Connector() {
        return h2Connector;
    }

    Timeouts serverTimeouts() {
        return backend.plan().timeouts();
    }
}
