package dev.sluice.balancer.tls;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.runtime.ServerTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * One server's TLS, built once at start: a BoringSSL client context for its traffic and, with
 * {@code check-ssl}, one for its health checks (their ALPN differs), and the {@code sni} expression.
 * Each context keeps the sessions of its connections, so a new connection to the server resumes the last
 * one's session (HAProxy's default) unless {@code no-ssl-reuse}. Shared by every event loop.
 */
public final class ServerTlsContext {
    /** The TLS 1.3 suites BoringSSL offers; {@code ciphersuites} may only narrow this list. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private final ServerTls tls;
    private final SslContext traffic;
    private final SslContext checks;
    private final SampleExpression sni;

    private ServerTlsContext(ServerTls tls, String proxy) {
        this.tls = tls;
        this.traffic = tls.enabled() ? build(tls, tls.alpn()) : null;
        this.checks = tls.check().enabled() ? build(tls, tls.check().alpn()) : null;
        this.sni = tls.sni().isPresent()
                ? new AclCompiler(Path.of("").toAbsolutePath(), ProxyCatalog.ANY)
                        .sampleExpression(tls.sni().get(), proxy)
                : null;
    }

    /** The server's contexts, or null when neither its traffic nor its checks speak TLS. */
    public static ServerTlsContext of(ServerTls tls, String proxy) {
        return tls.used() ? new ServerTlsContext(tls, proxy) : null;
    }

    /**
     * Builds what {@link #of} would and lets it go: the configuration check at the server's line.
     *
     * @throws IllegalArgumentException with HAProxy's kind of sentence when a file, cipher list or
     *                                  expression is refused
     */
    public static void check(ServerTls tls, String proxy) {
        ServerTlsContext context;
        try {
            context = new ServerTlsContext(tls, proxy);
        } catch (dev.sluice.balancer.acl.AclException e) {
            throw new IllegalArgumentException("'sni' : " + e.getMessage(), e);
        }
        context.release();
    }

    public ServerTls settings() {
        return tls;
    }

    /** The SNI for a connection made for {@code request}: the {@code sni} expression's value, or null. */
    public String sni(RequestView request) {
        if (sni == null || request == null) {
            return null;
        }
        String value = sni.evaluateString(request);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The handler of a new traffic connection to {@code address}, sending {@code serverName} as SNI (or none). */
    public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress address, String serverName,
                                 Duration handshakeTimeout) {
        return handler(traffic, alloc, address, serverName, handshakeTimeout);
    }

    /** The handler of a health check's connection ({@code check-sni} as SNI), or null without check TLS. */
    public SslHandler newCheckHandler(ByteBufAllocator alloc, InetSocketAddress address, Duration handshakeTimeout) {
        return checks == null ? null
                : handler(checks, alloc, address, tls.check().sni().orElse(null), handshakeTimeout);
    }

    /** Whether traffic connections speak TLS. */
    public boolean traffic() {
        return traffic != null;
    }

    public void release() {
        if (traffic != null) {
            io.netty.util.ReferenceCountUtil.release(traffic);
        }
        if (checks != null) {
            io.netty.util.ReferenceCountUtil.release(checks);
        }
    }

    /**
     * The peer host of the engine is the SNI when there is one (BoringSSL sends it, the session cache files
     * the session under it, {@link VerifyingTrustManager} checks it), else the server's address, which is
     * sent as no SNI.
     */
    private static SslHandler handler(SslContext context, ByteBufAllocator alloc, InetSocketAddress address,
                                      String serverName, Duration handshakeTimeout) {
        String host = serverName != null ? serverName : address.getAddress().getHostAddress();
        SslHandler handler = context.newHandler(alloc, host, address.getPort());
        handler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeout.toMillis()));
        return handler;
    }

    private static SslContext build(ServerTls tls, List<String> alpn) {
        if (!OpenSsl.isAvailable()) {
            throw new IllegalArgumentException("BoringSSL (netty-tcnative) cannot be loaded: "
                    + OpenSsl.unavailabilityCause());
        }
        List<String> protocols = new ArrayList<>();
        for (ServerTls.TlsVersion version : ServerTls.TlsVersion.values()) {
            if (version.compareTo(tls.minVersion()) >= 0 && version.compareTo(tls.maxVersion()) <= 0) {
                protocols.add(version.protocol());
            }
        }
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .protocols(protocols)
                .trustManager(tls.verify() ? verifying(tls) : InsecureTrustManagerFactory.INSTANCE);
        if (tls.ciphers().isPresent() || tls.ciphersuites().isPresent()) {
            builder.ciphers(ciphers(tls));
        }
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        if (tls.crt().isPresent()) {
            byte[] pem = read(tls.crt().get(), "crt");
            try {
                builder.keyManager(new ByteArrayInputStream(pem), new ByteArrayInputStream(pem));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unable to load SSL certificate and key from '" + tls.crt().get()
                        + "' (" + e.getMessage() + ")", e);
            }
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            if (tls.ciphers().isPresent() && String.valueOf(e.getMessage()).contains("cipher")) {
                throw new IllegalArgumentException("unable to set SSL cipher list to '" + tls.ciphers().get() + "' ("
                        + e.getMessage() + "; BoringSSL takes explicit suite names separated by ':')", e);
            }
            throw new IllegalArgumentException("unable to build the SSL context: " + e.getMessage(), e);
        }
        if (!tls.reuse()) {
            ((ReferenceCountedOpenSslContext) context).sessionContext().setSessionCacheEnabled(false);
        }
        return context;
    }

    /**
     * {@code ciphers A:B}: BoringSSL takes explicit suite names (OpenSSL's spelling); TLS 1.3 keeps its
     * three suites whatever {@code ciphersuites} says, so only a list naming all of them is accepted there.
     */
    private static List<String> ciphers(ServerTls tls) {
        List<String> names = new ArrayList<>();
        if (tls.ciphers().isPresent()) {
            names.addAll(List.of(tls.ciphers().get().split(":", -1)));
        } else {
            for (String suite : OpenSsl.availableOpenSslCipherSuites()) {
                if (!TLS13_SUITES.contains(suite)) {
                    names.add(suite);
                }
            }
        }
        if (tls.ciphersuites().isPresent()) {
            String list = tls.ciphersuites().get();
            List<String> suites = List.of(list.split(":", -1));
            for (String suite : suites) {
                if (!TLS13_SUITES.contains(suite)) {
                    throw new IllegalArgumentException("unable to set TLS 1.3 cipher suites to '" + list + "' ('"
                            + suite + "' is not one of " + String.join(", ", TLS13_SUITES) + ")");
                }
            }
            if (!suites.containsAll(TLS13_SUITES)) {
                throw new IllegalArgumentException("'ciphersuites " + list + "' is not supported yet: BoringSSL's "
                        + "client always offers " + String.join(", ", TLS13_SUITES) + " (name all three)");
            }
        }
        names.addAll(TLS13_SUITES);
        return names;
    }

    private static TrustManagerFactory verifying(ServerTls tls) {
        Path file = tls.caFile().orElseThrow();
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(read(file, "ca-file")))) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalArgumentException("unable to load '" + file + "': no certificate in it");
            }
            TrustManagerFactory pkix = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            pkix.init(store);
            X509TrustManager chain = (X509TrustManager) pkix.getTrustManagers()[0];
            return new FixedTrustManagerFactory(new VerifyingTrustManager(chain, tls.verifyHost().orElse(null)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("unable to load '" + file + "': " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file, String keyword) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + keyword + "' : unable to read '" + file + "': " + e.getMessage(),
                    e);
        }
    }
}
