package dev.sluice.terminator.it;

import dev.sluice.terminator.TestCerts;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Certificates and helpers shared by the tests that run the terminator as a real process. */
abstract class LoopbackFixture {
    static final Duration START = Duration.ofSeconds(60);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String NAME = "example.com";

    @TempDir
    static Path dir;
    static Path pem;

    @BeforeAll
    static void certificates() throws Exception {
        // hitch (in the comparison tests) reads the PEM after switching to nobody.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        pem = TestCerts.ecdsa(dir, NAME);
        Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-r--r--"));
    }

    static ExternalProcess terminator(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("--frontend=[127.0.0.1]:" + port));
        all.addAll(List.of(args));
        all.add(pem.toString());
        return Sluice.terminator(all.toArray(String[]::new)).awaitListening("127.0.0.1", port, START);
    }

    static List<String> sClient(int port, String... extra) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", NAME));
        command.addAll(List.of(extra));
        return command;
    }

    static byte[] readN(SSLSocket socket, int length) {
        try {
            InputStream in = socket.getInputStream();
            return in.readNBytes(length);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
