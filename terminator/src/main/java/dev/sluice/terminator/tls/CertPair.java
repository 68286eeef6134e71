package dev.sluice.terminator.tls;

/**
 * The certificates serving one name: at most one RSA and one ECDSA. Each client gets ECDSA when it
 * can verify it (cheaper to sign, smaller), else RSA.
 */
record CertPair(ServedCert rsa, ServedCert ec) {
    CertPair {
        if (rsa == null && ec == null) {
            throw new IllegalArgumentException("a name needs at least one certificate");
        }
    }

    CertPair with(ServedCert cert) {
        return cert.certified().keyType() == KeyType.EC
                ? (ec == null ? new CertPair(rsa, cert) : this)
                : (rsa == null ? new CertPair(cert, ec) : this);
    }

    CertifiedKey anyCertified() {
        return (rsa != null ? rsa : ec).certified();
    }

    static CertPair of(ServedCert cert) {
        return cert.certified().keyType() == KeyType.EC ? new CertPair(null, cert) : new CertPair(cert, null);
    }

    /**
     * The certificate for a client: with one type present, that one (the handshake then tells
     * whether the client can use it); with both, ECDSA when the client can verify it, else RSA
     * (also for an unparseable ClientHello, which the engine will refuse anyway).
     */
    ServedCert choose(ClientHelloFacts hello, boolean serverTls13) {
        if (ec == null) {
            return rsa;
        }
        if (rsa == null) {
            return ec;
        }
        return hello != null && hello.acceptsEcdsa(ec.certified().ecdsaScheme(), serverTls13) ? ec : rsa;
    }
}
