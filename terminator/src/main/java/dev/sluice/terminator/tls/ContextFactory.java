package dev.sluice.terminator.tls;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds one BoringSSL server context per certificate, once per load. Everything that is the
 * same for every connection (protocols, ciphers, groups, ALPN, ticket keys, OCSP) is set here, so a
 * handshake only creates an engine from a finished context.
 */
final class ContextFactory {
    /** Sessions kept for TLS 1.2 session-ID resumption (clients without tickets); hitch's default. */
    private static final int SESSION_CACHE_SIZE = 20_480;
    /** How long a session (ID or ticket) stays resumable; nginx and hitch use 300 s. */
    private static final int SESSION_TIMEOUT_SECONDS = 300;

    private final TlsSettings settings;
    private final CipherProfile profile;
    private final OpenSslSessionTicketKey[] ticketKeys;

    ContextFactory(TlsSettings settings, CipherProfile profile, OpenSslSessionTicketKey[] ticketKeys) {
        this.settings = settings;
        this.profile = profile;
        this.ticketKeys = ticketKeys;
    }

    SslContext build(CertifiedKey certified) throws TlsException {
        // The caching factory turns the key and chain into native key material once; each
        // handshake then only takes a reference to it.
        SslContextBuilder builder = SslContextBuilder
                .forServer(new OpenSslCachingX509KeyManagerFactory(new SingleKeyManagerFactory(certified)))
                .sslProvider(SslProvider.OPENSSL)
                .protocols(settings.protocols())
                .ciphers(profile.allCiphers())
                .clientAuth(ClientAuth.NONE)
                .sessionCacheSize(SESSION_CACHE_SIZE)
                .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                .enableOcsp(settings.ocspDir() != null)
                .option(OpenSslContextOption.GROUPS, profile.groups());
        if (!settings.alpnProtocols().isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
                    settings.alpnProtocols()));
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsException(certified.source().describe() + ": cannot build a TLS context: "
                    + e.getMessage(), e);
        }
        ReferenceCountedOpenSslContext openssl = (ReferenceCountedOpenSslContext) context;
        // Netty always sets SSL_OP_CIPHER_SERVER_PREFERENCE on the context and exposes no handle to
        // clear it there; CertSelector clears it per engine when the client's order should win.
        OpenSslSessionContext sessions = openssl.sessionContext();
        sessions.setTicketKeys(ticketKeys);
        return context;
    }
}
