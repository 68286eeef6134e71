package dev.sluice.terminator.server;

import dev.sluice.common.proxy.ProxyAcceptance;
import dev.sluice.common.proxy.ProxyCounters;
import dev.sluice.common.proxy.ProxyHeaderDecoder;
import dev.sluice.terminator.config.ProxyMode;
import dev.sluice.terminator.tls.TlsContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import java.util.function.Supplier;

/** Builds a client connection's pipeline (see {@link PipelineNames}) for one frontend. */
@ChannelHandler.Sharable
final class ClientInitializer extends ChannelInitializer<Channel> {
    private final Supplier<TlsContexts> tls;
    private final ConnectionSettings settings;
    private final boolean proxyProxy;
    /** Refusals of incoming PROXY headers (proxy-proxy mode), for this frontend. */
    private final ProxyCounters proxyCounters = new ProxyCounters();

    ClientInitializer(Supplier<TlsContexts> tls, ConnectionSettings settings, ProxyMode mode) {
        this.tls = tls;
        this.settings = settings;
        this.proxyProxy = mode == ProxyMode.PROXY_PROXY;
    }

    @Override
    protected void initChannel(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        BackendConnector connector = new BackendConnector(settings);
        if (proxyProxy) {
            pipeline.addLast(PipelineNames.PROXY_DECODER, new ProxyHeaderDecoder(ProxyAcceptance.required(), proxyCounters));
        }
        pipeline.addLast(PipelineNames.TLS, tls.get().newHandler(channel));
        pipeline.addLast(PipelineNames.CONNECT, connector);
    }
}
