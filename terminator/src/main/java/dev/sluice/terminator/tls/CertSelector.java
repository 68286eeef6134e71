package dev.sluice.terminator.tls;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import dev.sluice.common.proxy.ProxyHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.internal.tcnative.SSL;
import io.netty.util.concurrent.Future;

/**
 * The first handler of a TLS connection: reads the ClientHello, picks the certificate (SNI name,
 * then RSA or ECDSA by what the client can verify), and replaces itself by an {@link SslHandler}
 * of that certificate's context, which then sees the ClientHello as if it had been there first.
 * Fires {@link SniCompletionEvent}; with sni-nomatch-abort an unknown name gets an
 * unrecognized_name alert and the connection is closed.
 */
final class CertSelector extends SslClientHelloHandler<ServedCert> {
    /** A plaintext fatal unrecognized_name(112) alert record (RFC 8446, 6; RFC 6066, 3). */
    private static final byte[] UNRECOGNIZED_NAME_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};

    private final Selection selection;
    private String hostname;
    private boolean aborted;
    /** The handshake deadline covers waiting for the ClientHello too, not only the SslHandler's part. */
    private long deadlineNanos;
    private ScheduledFuture<?> timeout;

    CertSelector(Selection selection) {
        this.selection = selection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        long timeoutMillis = selection.handshakeTimeoutMillis();
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        timeout = ctx.executor().schedule(() -> {
            ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(new SslHandshakeTimeoutException(
                    "no ClientHello within " + timeoutMillis + " ms")));
            ctx.close();
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Behind {@code --proxy-proxy} the PROXY decoder leaves once the header is read, and reading
     * on is the next handler's decision. The header may come alone (a proxy sends it on connect,
     * before the client speaks): then no read of ours is pending, and with autoRead off nobody
     * would ask for the ClientHello, which would wait for the handshake timeout.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ProxyHeader && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        super.handlerRemoved0(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (aborted) {
            in.skipBytes(in.readableBytes());
            return;
        }
        super.decode(ctx, in, out);
    }

    @Override
    protected Future<ServedCert> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        ClientHelloFacts hello = ClientHelloFacts.parse(clientHello, selection.profile());
        hostname = hello == null ? null : hello.serverName();
        ServedCert cert = selection.choose(hello);
        return cert == null
                ? ctx.executor().newFailedFuture(new SniNoMatchException(hostname))
                : ctx.executor().newSucceededFuture(cert);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<ServedCert> future) {
        if (!future.isSuccess()) {
            aborted = true;
            timeout.cancel(false);
            ctx.fireUserEventTriggered(new SniCompletionEvent(hostname, future.cause()));
            ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME_ALERT))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ServedCert cert = future.getNow();
        SslHandler ssl = cert.context().newHandler(ctx.alloc());
        ssl.setHandshakeTimeoutMillis(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        if (ssl.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            if (!selection.preferServerCiphers()) {
                SSL.clearOptions(engine.sslPointer(), SSL.SSL_OP_CIPHER_SERVER_PREFERENCE);
            }
            if (selection.stapling()) {
                byte[] staple = cert.stapleAt(System.currentTimeMillis());
                if (staple != null) {
                    engine.setOcspResponse(staple);
                }
            }
        }
        ctx.pipeline().replace(this, SslHandler.class.getName(), ssl);
        ctx.fireUserEventTriggered(new SniCompletionEvent(hostname));
    }

    /** The client named a server we have no certificate for, and sni-nomatch-abort is on. */
    static final class SniNoMatchException extends SSLHandshakeException {
        private static final long serialVersionUID = 1L;

        SniNoMatchException(String hostname) {
            super("no certificate for server name " + hostname + " (sni-nomatch-abort)");
        }
    }
}
