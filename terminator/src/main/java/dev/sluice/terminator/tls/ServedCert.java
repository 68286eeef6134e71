package dev.sluice.terminator.tls;

import java.time.Instant;

import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;

/**
 * One certificate ready to serve: its SSL context, built once at load, and its current OCSP
 * staple (replaced by the stapler's thread, read by event loops).
 */
final class ServedCert {
    private final CertifiedKey certified;
    private final SslContext context;
    private volatile Staple staple;

    /**
     * A verified OCSP response, the instant after which it must not be stapled, and when to fetch
     * a fresh one.
     */
    record Staple(byte[] der, Instant notAfter, Instant refreshAt) {
    }

    ServedCert(CertifiedKey certified, SslContext context) {
        this.certified = certified;
        this.context = context;
    }

    CertifiedKey certified() {
        return certified;
    }

    SslContext context() {
        return context;
    }

    void staple(Staple next) {
        staple = next;
    }

    Staple staple() {
        return staple;
    }

    /** The staple's bytes if it may still be stapled at {@code nowMillis} (epoch), else null. */
    byte[] stapleAt(long nowMillis) {
        Staple current = staple;
        return current == null || nowMillis > current.notAfter().toEpochMilli() ? null : current.der();
    }

    void release() {
        ReferenceCountUtil.release(context);
    }
}
