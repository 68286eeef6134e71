package dev.sluice.terminator.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain (leaf first), as loaded from one {@link PemSource}.
 *
 * @param source       where it came from, for messages and OCSP file names
 * @param key          the private key
 * @param chain        leaf first, then the rest of the file's certificates in file order
 * @param keyType      RSA or EC
 * @param ecdsaScheme  the TLS 1.3 signature scheme an EC key needs (0x0403 for P-256…), 0 for RSA
 * @param names        the DNS names it serves (SAN DNS names, or the CN without SANs), lower case
 */
public record CertifiedKey(PemSource source, PrivateKey key, List<X509Certificate> chain, KeyType keyType,
        int ecdsaScheme, List<String> names) {
    public CertifiedKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty");
        }
        Objects.requireNonNull(keyType, "keyType");
        names = List.copyOf(names);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }
}
