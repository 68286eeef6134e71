package dev.sluice.terminator.tls;

/**
 * The immutable certificate choice of one frontend: names to certificate pairs, the default pair,
 * and what the handler needs to build the engine. Shared by every connection of a generation.
 */
record Selection(SniMap<CertPair> names, CertPair defaults, boolean sniNoMatchAbort, boolean tls13Enabled,
        CipherProfile profile, long handshakeTimeoutMillis, boolean stapling, boolean preferServerCiphers) {

    /** The certificate for this ClientHello, or null to abort (unknown SNI with sni-nomatch-abort). */
    ServedCert choose(ClientHelloFacts hello) {
        String serverName = hello == null ? null : hello.serverName();
        CertPair pair = names.lookup(serverName);
        if (pair == null) {
            if (serverName != null && sniNoMatchAbort) {
                return null;
            }
            pair = defaults;
        }
        return pair.choose(hello, tls13Enabled);
    }
}
