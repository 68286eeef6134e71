package dev.sluice.terminator.tls;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.OpenSslSessionTicketKey;

/**
 * The TLS side of one frontend: certificates loaded and checked, one BoringSSL context per
 * certificate built once, the SNI map, ticket keys and OCSP stapling.
 *
 * <p>{@link #newHandler(Channel)} gives each connection a handler that picks the certificate from
 * the ClientHello and replaces itself by the {@code SslHandler}. {@link #reload(TlsSettings)} builds
 * a new generation; the caller swaps it in for new connections and then {@link #close()}s this
 * one: connections already accepted keep their engines (each engine holds its own reference to
 * its context), only the stapler stops.
 */
public final class TlsContexts implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(TlsContexts.class);

    private final TlsSettings settings;
    private final List<ServedCert> served;
    private final Selection selection;
    private final List<String> warnings;
    private final OcspStapler stapler;
    private final AtomicBoolean closed = new AtomicBoolean();

    private TlsContexts(TlsSettings settings, List<ServedCert> served, Selection selection, List<String> warnings,
            OcspStapler stapler) {
        this.settings = settings;
        this.served = served;
        this.selection = selection;
        this.warnings = List.copyOf(warnings);
        this.stapler = stapler;
    }

    /** Loads certificates and builds the contexts of one frontend. */
    public static TlsContexts load(TlsSettings settings) throws TlsException {
        return load(settings, null);
    }

    private static TlsContexts load(TlsSettings settings, TlsContexts previous) throws TlsException {
        List<String> warnings = new ArrayList<>();
        if (settings.ocspDir() != null && !Files.isDirectory(settings.ocspDir())) {
            throw new TlsException("ocsp-dir: " + settings.ocspDir() + " is not a directory (create it, writable"
                    + " for the terminator's user, or leave ocsp-dir unset to disable stapling)");
        }
        CipherProfile profile = CipherProfile.resolve(settings);
        OpenSslSessionTicketKey[] ticketKeys = settings.ticketKeyFile() == null
                ? TicketKeys.random() : TicketKeys.read(settings.ticketKeyFile());
        PemLoader loader = new PemLoader();
        Instant now = Instant.now();
        List<CertifiedKey> certified = new ArrayList<>();
        for (PemSource pem : settings.pems()) {
            certified.add(loader.load(pem, now, warning -> warn(warnings, warning)));
        }
        ContextFactory factory = new ContextFactory(settings, profile, ticketKeys);
        List<ServedCert> served = new ArrayList<>();
        try {
            for (CertifiedKey key : certified) {
                served.add(new ServedCert(key, factory.build(key)));
            }
            Selection selection = new Selection(names(served, warnings), defaults(served), settings.sniNoMatchAbort(),
                    settings.tls13Enabled(), profile, settings.handshakeTimeout().toMillis(),
                    settings.ocspDir() != null, settings.preferServerCiphers());
            OcspStapler stapler = null;
            if (settings.ocspDir() != null) {
                stapler = OcspStapler.start(settings, served, previous == null ? null : previous.served);
            }
            return new TlsContexts(settings, List.copyOf(served), selection, warnings, stapler);
        } catch (TlsException | RuntimeException e) {
            served.forEach(ServedCert::release);
            throw e;
        }
    }

    private static void warn(List<String> warnings, String warning) {
        warnings.add(warning);
        LOG.warn(warning);
    }

    /** Every name to its RSA and ECDSA certificates; the first pem-file naming a name wins per type. */
    private static SniMap<CertPair> names(List<ServedCert> served, List<String> warnings) {
        Map<String, CertPair> pairs = new LinkedHashMap<>();
        for (ServedCert cert : served) {
            for (String name : cert.certified().names()) {
                pairs.merge(SniMap.normalize(name), CertPair.of(cert), (old, added) -> old.with(cert));
            }
        }
        SniMap.Builder<CertPair> builder = SniMap.builder();
        pairs.forEach((name, pair) -> {
            try {
                builder.putIfAbsent(name, pair);
            } catch (IllegalArgumentException e) {
                warn(warnings, pair.anyCertified().source().certPath() + ": name " + name
                        + " cannot be matched by SNI (" + e.getMessage() + "); ignored");
            }
        });
        return builder.build();
    }

    /**
     * The first pem-file serves clients without a (known) name; a certificate of the other key
     * type for the same first name joins it, so RSA-only clients still get one.
     */
    private static CertPair defaults(List<ServedCert> served) {
        ServedCert first = served.getFirst();
        CertPair pair = CertPair.of(first);
        List<String> names = first.certified().names();
        if (names.isEmpty()) {
            return pair;
        }
        for (ServedCert other : served) {
            if (other.certified().keyType() != first.certified().keyType()
                    && other.certified().names().contains(names.getFirst())) {
                return pair.with(other);
            }
        }
        return pair;
    }

    /** A new certificate-selecting handler for an accepted connection (put it first in the pipeline). */
    public ChannelHandler newHandler(Channel channel) {
        return new CertSelector(selection);
    }

    /**
     * Builds a new generation from {@code settings} (for SIGHUP). This one is left untouched and
     * keeps serving; the caller closes it once the new one is in place.
     */
    public TlsContexts reload(TlsSettings settings) throws TlsException {
        return load(settings, this);
    }

    /** Non-fatal findings of the load (expired certificates…), for --test and the log. */
    public List<String> warnings() {
        return warnings;
    }

    public TlsSettings settings() {
        return settings;
    }

    /** Stops OCSP refreshes and drops this generation's context references. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (stapler != null) {
            stapler.close();
        }
        served.forEach(ServedCert::release);
    }
}
