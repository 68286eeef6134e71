package dev.sluice.terminator.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;

/**
 * What a finished handshake negotiated, in the names hitch puts in PROXY v2 TLVs and logs:
 * OpenSSL's cipher name (not the JDK's), the protocol version, the SNI name, and whether the
 * session was resumed (for counters). Call on the connection's event loop after
 * {@code SslHandshakeCompletionEvent.SUCCESS}; after the engine is gone they return null/false.
 */
public final class TlsFacts {
    private TlsFacts() {
    }

    /** E.g. "TLS_AES_128_GCM_SHA256" or "ECDHE-ECDSA-AES128-GCM-SHA256". */
    public static String opensslCipher(SslHandler ssl) {
        long pointer = pointer(ssl);
        return pointer == 0 ? null : SSL.getCipherForSSL(pointer);
    }

    /** E.g. "TLSv1.3". */
    public static String protocol(SslHandler ssl) {
        long pointer = pointer(ssl);
        return pointer == 0 ? null : SSL.getVersion(pointer);
    }

    /** The server name the client sent, or null. */
    public static String serverName(SslHandler ssl) {
        long pointer = pointer(ssl);
        return pointer == 0 ? null : SSL.getSniHostname(pointer);
    }

    /** Whether the handshake resumed a session (ticket or session ID) instead of a full handshake. */
    public static boolean resumed(SslHandler ssl) {
        long pointer = pointer(ssl);
        return pointer != 0 && SSL.isSessionReused(pointer);
    }

    private static long pointer(SslHandler ssl) {
        // 0 once the engine has been shut down and its native SSL freed.
        return ssl.engine() instanceof ReferenceCountedOpenSslEngine engine ? engine.sslPointer() : 0;
    }
}
