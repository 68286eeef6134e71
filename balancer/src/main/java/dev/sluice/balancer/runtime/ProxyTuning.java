package dev.sluice.balancer.runtime;

import java.util.Objects;

/**
 * The proxy settings that real configurations add around the core: {@code option originalto},
 * {@code monitor-uri}/{@code monitor fail}, TCP keep-alive on either side, and
 * {@code option http-buffer-request}. A frontend reads the client-side parts and a backend the
 * server-side ones; each half ignores the other's, as HAProxy does.
 *
 * @param originalTo    {@code option originalto [except NET] [header NAME]}; its {@code ifNone} is always false
 * @param monitor       the frontend's {@code monitor-uri} and {@code monitor fail} conditions
 * @param clientKeepAlive {@code option clitcpka} and {@code clitcpka-*} (frontend)
 * @param serverKeepAlive {@code option srvtcpka} and {@code srvtcpka-*} (backend)
 * @param bufferRequest {@code option http-buffer-request}: wait for the body (up to a buffer) before routing
 * @param pretendKeepAlive {@code option http-pretend-keepalive} (backend): a closing mode still closes the
 *                      server connection after the response, but no longer says so in the request
 * @param ignoreProbes  {@code option http-ignore-probes} (frontend): a connection that ends before its first
 *                      request byte gets no 408 and leaves no log line
 * @param compression   {@code compression algo|type|offload} with {@code tune.comp.maxlevel}
 * @param abortOnClose  {@code option abortonclose} (backend): a client that half-closes while its request
 *                      waits for a server loses it; without it the response still comes, as in HAProxy
 * @param preferLastServer {@code option prefer-last-server} (backend): a kept-alive client's next request
 *                      goes to the server of its previous one while that one can take it
 */
public record ProxyTuning(ForwardFor originalTo, Monitor monitor, TcpKeepAlive clientKeepAlive,
                          TcpKeepAlive serverKeepAlive, boolean bufferRequest, boolean pretendKeepAlive,
                          boolean ignoreProbes, CompressionPlan compression, boolean abortOnClose,
                          boolean preferLastServer, boolean idleCloseOnResponse) {

    /**
     * Settings without {@code option idle-close-on-response} (a stopping process then closes idle
     * kept-alive client connections at once, as HAProxy 2.6 does by default).
     */
    public ProxyTuning(ForwardFor originalTo, Monitor monitor, TcpKeepAlive clientKeepAlive,
                       TcpKeepAlive serverKeepAlive, boolean bufferRequest, boolean pretendKeepAlive,
                       boolean ignoreProbes, CompressionPlan compression, boolean abortOnClose,
                       boolean preferLastServer) {
        this(originalTo, monitor, clientKeepAlive, serverKeepAlive, bufferRequest, pretendKeepAlive, ignoreProbes,
                compression, abortOnClose, preferLastServer, false);
    }

    public static final String ORIGINAL_TO_HEADER = "X-Original-To";

    /** Nothing set: HAProxy's defaults. */
    public static final ProxyTuning NONE = new ProxyTuning(
            new ForwardFor(false, null, ORIGINAL_TO_HEADER, false), Monitor.NONE, TcpKeepAlive.OFF, TcpKeepAlive.OFF,
            false, false, false);

    /** Settings without {@code option abortonclose} or {@code option prefer-last-server}. */
    public ProxyTuning(ForwardFor originalTo, Monitor monitor, TcpKeepAlive clientKeepAlive,
                       TcpKeepAlive serverKeepAlive, boolean bufferRequest, boolean pretendKeepAlive,
                       boolean ignoreProbes, CompressionPlan compression) {
        this(originalTo, monitor, clientKeepAlive, serverKeepAlive, bufferRequest, pretendKeepAlive, ignoreProbes,
                compression, false, false);
    }

    /** Settings without {@code compression}. */
    public ProxyTuning(ForwardFor originalTo, Monitor monitor, TcpKeepAlive clientKeepAlive,
                       TcpKeepAlive serverKeepAlive, boolean bufferRequest, boolean pretendKeepAlive,
                       boolean ignoreProbes) {
        this(originalTo, monitor, clientKeepAlive, serverKeepAlive, bufferRequest, pretendKeepAlive, ignoreProbes,
                CompressionPlan.NONE);
    }

    public ProxyTuning {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(originalTo, "originalTo");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(clientKeepAlive, "clientKeepAlive");
        Objects.requireNonNull(serverKeepAlive, "serverKeepAlive");
        if (originalTo.ifNone()) {
            throw new IllegalArgumentException("originalTo: if-none set (expected: option originalto has no if-none)");
        }
    }
}
