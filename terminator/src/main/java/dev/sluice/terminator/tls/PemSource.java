package dev.sluice.terminator.tls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one certificate and its key come from: one PEM file holding the key and the chain in any
 * order (hitch's format), or a certificate file plus a separate key file.
 *
 * @param certPath the certificate chain (leaf first or in any order), and the key when
 *                 {@code keyPath} is null
 * @param keyPath  the private key, or null when it is inside {@code certPath}
 */
public record PemSource(Path certPath, Path keyPath) {
    public PemSource {
        Objects.requireNonNull(certPath, "certPath");
    }

    /** A single file holding both the key and the certificates. */
    public static PemSource combined(Path pem) {
        return new PemSource(pem, null);
    }

    /** How the source is named in messages. */
    public String describe() {
        return keyPath == null ? certPath.toString() : certPath + " (key " + keyPath + ")";
    }
}
