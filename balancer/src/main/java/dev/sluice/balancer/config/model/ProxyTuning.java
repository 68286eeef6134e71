package dev.sluice.balancer.config.model;

import dev.sluice.balancer.runtime.TcpKeepAlive;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code option originalto}, {@code monitor-uri}, {@code monitor fail}, {@code option tcpka},
 * {@code clitcpka}/{@code srvtcpka} with their {@code -cnt/-idle/-intvl} settings and
 * {@code option http-buffer-request}, {@code option http-pretend-keepalive} and
 * {@code option http-ignore-probes}, after defaults and {@code no option} were applied.
 *
 * @param abortOnClose {@code option abortonclose}: a client that half-closes before its server answered
 *                     loses its request (HTTP mode); refused in mode tcp
 *
 * @param originalTo  the option's {@code except} and {@code header} ({@link ForwardFor#ifNone()} is false)
 * @param monitorFail {@code monitor fail} lines in file order, compiled with the section's ACLs
 * @param compression {@code compression algo|type|offload}; its level is the global one's, set when compiled
 * @param preferLastServer {@code option prefer-last-server}: a kept-alive client's next request goes to
 *                    the server of its previous one while that server can take it
 */
public record ProxyTuning(Optional<ForwardFor> originalTo, Optional<String> monitorUri, List<Condition> monitorFail,
                          TcpKeepAlive clientKeepAlive, TcpKeepAlive serverKeepAlive, boolean bufferRequest,
                          boolean pretendKeepAlive, boolean ignoreProbes, boolean abortOnClose,
                          dev.sluice.balancer.runtime.CompressionPlan compression, boolean preferLastServer,
                          boolean idleCloseOnResponse) {

    /** Settings without {@code option idle-close-on-response}. */
    public ProxyTuning(Optional<ForwardFor> originalTo, Optional<String> monitorUri, List<Condition> monitorFail,
                       TcpKeepAlive clientKeepAlive, TcpKeepAlive serverKeepAlive, boolean bufferRequest,
                       boolean pretendKeepAlive, boolean ignoreProbes, boolean abortOnClose,
                       dev.sluice.balancer.runtime.CompressionPlan compression, boolean preferLastServer) {
        this(originalTo, monitorUri, monitorFail, clientKeepAlive, serverKeepAlive, bufferRequest, pretendKeepAlive,
                ignoreProbes, abortOnClose, compression, preferLastServer, false);
    }

    public static final ProxyTuning DEFAULTS = new ProxyTuning(Optional.empty(), Optional.empty(), List.of(),
            TcpKeepAlive.OFF, TcpKeepAlive.OFF, false, false, false, false);

    /** Settings without {@code option prefer-last-server}. */
    public ProxyTuning(Optional<ForwardFor> originalTo, Optional<String> monitorUri, List<Condition> monitorFail,
                       TcpKeepAlive clientKeepAlive, TcpKeepAlive serverKeepAlive, boolean bufferRequest,
                       boolean pretendKeepAlive, boolean ignoreProbes, boolean abortOnClose,
                       dev.sluice.balancer.runtime.CompressionPlan compression) {
        this(originalTo, monitorUri, monitorFail, clientKeepAlive, serverKeepAlive, bufferRequest, pretendKeepAlive,
                ignoreProbes, abortOnClose, compression, false);
    }

    /** Settings without {@code compression}. */
    public ProxyTuning(Optional<ForwardFor> originalTo, Optional<String> monitorUri, List<Condition> monitorFail,
                       TcpKeepAlive clientKeepAlive, TcpKeepAlive serverKeepAlive, boolean bufferRequest,
                       boolean pretendKeepAlive, boolean ignoreProbes, boolean abortOnClose) {
        this(originalTo, monitorUri, monitorFail, clientKeepAlive, serverKeepAlive, bufferRequest, pretendKeepAlive,
                ignoreProbes, abortOnClose, dev.sluice.balancer.runtime.CompressionPlan.NONE);
    }

    public ProxyTuning {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(originalTo, "originalTo");
        Objects.requireNonNull(monitorUri, "monitorUri");
        monitorFail = List.copyOf(monitorFail);
        Objects.requireNonNull(clientKeepAlive, "clientKeepAlive");
        Objects.requireNonNull(serverKeepAlive, "serverKeepAlive");
    }
}
