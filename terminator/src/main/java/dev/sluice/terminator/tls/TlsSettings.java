package dev.sluice.terminator.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What one frontend's TLS contexts are built from (the first PEM is the default certificate). */
public record TlsSettings(List<PemSource> pems, List<String> protocols, String ciphers, String ciphersuites,
                          List<String> curves, boolean preferServerCiphers, List<String> alpnProtocols,
                          boolean sniNoMatchAbort, Path ocspDir, Duration ocspConnectTimeout,
                          Duration ocspResponseTimeout, Duration ocspRefreshInterval, boolean ocspVerify,
                          Path ticketKeyFile, Duration handshakeTimeout) {
}
