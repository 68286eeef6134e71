package dev.sluice.terminator.tls;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import java.io.File;

/**
 * TEMPORARY STAND-IN for the terminator-tls branch, which owns this package and replaces this
 * file: one certificate (the first PEM) for every server name, Netty's {@link SniHandler}.
 */
public final class TlsContexts implements AutoCloseable {
    private static final int MAX_CLIENT_HELLO_LENGTH = 16 * 1024;

    private final SslContext context;
    private final long handshakeTimeoutMillis;

    private TlsContexts(SslContext context, long handshakeTimeoutMillis) {
        this.context = context;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    public static TlsContexts load(TlsSettings settings) throws TlsException {
        PemSource pem = settings.pems().getFirst();
        File cert = pem.certPath().toFile();
        File key = pem.keyPath() == null ? cert : pem.keyPath().toFile();
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(cert, key)
                    .sslProvider(SslProvider.OPENSSL)
                    .protocols(settings.protocols().toArray(String[]::new));
            if (!settings.alpnProtocols().isEmpty()) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                        settings.alpnProtocols()));
            }
            return new TlsContexts(builder.build(), settings.handshakeTimeout().toMillis());
        } catch (Exception | Error e) {
            throw new TlsException(pem.certPath() + ": " + e.getMessage(), e);
        }
    }

    public ChannelHandler newHandler(Channel channel) {
        Mapping<String, SslContext> mapping = hostname -> context;
        return new SniHandler(mapping, MAX_CLIENT_HELLO_LENGTH, handshakeTimeoutMillis);
    }

    public TlsContexts reload(TlsSettings settings) throws TlsException {
        return load(settings);
    }

    @Override
    public void close() {
        ReferenceCountUtil.release(context);
    }
}
