package dev.sluice.terminator.server;

import dev.sluice.common.relay.Relay;

/**
 * Every handler of a client connection, in pipeline order. The first phase handlers leave when
 * their phase ends, so a relaying connection holds only the TLS handler and the relay.
 * <pre>
 *   proxy-decoder   (proxy-proxy only) decodes the client's PROXY header onto the channel, then leaves
 *   tls             SNI selection, then the SslHandler
 *   connect         handshake deadline, PROXY header, backend connection; leaves when relaying
 *   relay           bytes both ways
 * </pre>
 */
public final class PipelineNames {
    public static final String PROXY_DECODER = "proxy-decoder";
    public static final String TLS = "tls";
    public static final String CONNECT = "connect";
    public static final String RELAY = Relay.HANDLER_NAME;

    private PipelineNames() {
    }
}
