package dev.sluice.terminator.config;

import dev.sluice.common.net.Endpoint;
import dev.sluice.terminator.tls.TlsSettings;
import java.util.Objects;

/** One listening address and the TLS it speaks. */
public record FrontendConfig(Endpoint address, TlsSettings tls) {
    public FrontendConfig {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
        if (tls.pems().isEmpty()) {
            throw new IllegalArgumentException("frontend " + address + ": no certificate");
        }
    }
}
