package dev.sluice.terminator.server;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import javax.net.ssl.SSLEngine;

/**
 * What a finished handshake negotiated, as the PROXY v2 TLVs carry it: the version and cipher in
 * OpenSSL's naming (read from BoringSSL itself, e.g. {@code ECDHE-ECDSA-AES256-GCM-SHA384}), the
 * ALPN protocol and the SNI name (null when absent).
 */
public record TlsFacts(String protocol, String cipher, String alpn, String sni, boolean resumed) {

    static TlsFacts of(SslHandler tls, String sni) {
        SSLEngine engine = tls.engine();
        String alpn = tls.applicationProtocol();
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            long ssl = openSsl.sslPointer();
            if (ssl != 0) {
                return new TlsFacts(SSL.getVersion(ssl), SSL.getCipherForSSL(ssl), alpn, sni, SSL.isSessionReused(ssl));
            }
        }
        // Another engine (never in production: the provider is OpenSSL) names things the JDK way.
        return new TlsFacts(engine.getSession().getProtocol(), engine.getSession().getCipherSuite(), alpn, sni, false);
    }
}
