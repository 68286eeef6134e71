package dev.sluice.terminator.server;

import dev.sluice.terminator.config.ProxyMode;
import dev.sluice.terminator.tls.TlsContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.function.Supplier;

/** Builds a client connection's pipeline (see {@link PipelineNames}) for one frontend. */
@ChannelHandler.Sharable
final class ClientInitializer extends ChannelInitializer<Channel> {
    private final Supplier<TlsContexts> tls;
    private final ConnectionSettings settings;
    private final boolean proxyProxy;

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
            pipeline.addLast(PipelineNames.PROXY_DECODER, new HAProxyMessageDecoder());
            pipeline.addLast(PipelineNames.PROXY_CAPTURE, new ProxyCapture(connector));
        }
        pipeline.addLast(PipelineNames.TLS, tls.get().newHandler(channel));
        pipeline.addLast(PipelineNames.CONNECT, connector);
    }
}
