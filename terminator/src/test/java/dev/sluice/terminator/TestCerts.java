package dev.sluice.terminator;

import dev.sluice.testkit.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Self-signed test certificates made with the openssl CLI, as hitch users make theirs. */
public final class TestCerts {
    private TestCerts() {
    }

    /** A P-256 key and a certificate for {@code name} (and *.name); files {@code name.key}, {@code name.crt}, {@code name.pem}. */
    public static Path ecdsa(Path dir, String name) {
        Path key = dir.resolve(name + ".key");
        Path cert = dir.resolve(name + ".crt");
        ExternalProcess.run("openssl req", List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name + ",DNS:*." + name, "-days", "30"),
                Duration.ofSeconds(30)).assertExit(0);
        Path pem = dir.resolve(name + ".pem");
        try {
            // hitch's layout: the key, then the certificate chain.
            Files.writeString(pem, Files.readString(key) + Files.readString(cert));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pem;
    }
}
