package dev.sluice.balancer.tls;

import io.netty.util.NetUtil;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code verify required}: the chain must lead to one of the {@code ca-file} authorities (the JDK's PKIX
 * check), and the leaf must name the host HAProxy checks: the SNI sent on this connection, else
 * {@code verifyhost}, else no name at all. The SNI is the engine's peer host (see {@link ServerTlsContext}).
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
    private final X509TrustManager chain;
    private final String verifyHost;

    /** @param verifyHost {@code verifyhost}, or null */
    VerifyingTrustManager(X509TrustManager chain, String verifyHost) {
        this.chain = chain;
        this.verifyHost = verifyHost;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
            throws CertificateException {
        chain.checkServerTrusted(certificates, authType);
        String peer = engine == null ? null : engine.getPeerHost();
        String host = peer != null && !NetUtil.isValidIpV4Address(peer) && !NetUtil.isValidIpV6Address(peer)
                ? peer : verifyHost;
        if (host != null && !HostnameCheck.matches(certificates[0], host)) {
            throw new CertificateException("the server's certificate does not name '" + host + "'");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(certificates, authType, (SSLEngine) null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        checkServerTrusted(certificates, authType, (SSLEngine) null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a client context checks no client certificate");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a client context checks no client certificate");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) throws CertificateException {
        throw new CertificateException("a client context checks no client certificate");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
