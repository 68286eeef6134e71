package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testkit.ExternalProcess;

/**
 * Session resumption with real clients: a session from one process resumes on another process
 * given the same ticket key file (TLS 1.3 and 1.2 tickets), a rotated file still accepts the old
 * key, a different file does not; TLS 1.2 session IDs resume on the same process.
 */
class ResumptionIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Path pem;
    static byte[] oldKey;
    static Path keys;

    @BeforeAll
    static void setUp() throws Exception {
        TestPki pki = new TestPki(dir);
        pem = pki.combined(pki.leaf("resume.test", "ec", null, "resume.test"), "resume.pem");
        oldKey = random(80);
        keys = Files.write(dir.resolve("ticket.keys"), oldKey);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** A TlsTestServerMain JVM; returns it with its port parsed from its output. */
    private static ExternalProcess server(Path ticketKeys) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExternalProcess process = ExternalProcess.start("tls-server", List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TlsTestServerMain.class.getName(), pem.toString(),
                ticketKeys == null ? "-" : ticketKeys.toString()));
        process.awaitOutput("listening \\d+", START);
        return process;
    }

    private static int port(ExternalProcess process) {
        return Integer.parseInt(SClient.find(process.output(), "listening (\\d+)"));
    }

    private static String connect(int port, Path session, String direction, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "-servername";
        args[1] = "resume.test";
        args[2] = direction;
        args[3] = session.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        return SClient.run(port, args);
    }

    private static void assertResumedAcross(Path serverKeysA, Path serverKeysB, boolean expectReused, String... version)
            throws Exception {
        Path session = Files.createTempFile(dir, "session", ".pem");
        try (ExternalProcess a = server(serverKeysA); ExternalProcess b = server(serverKeysB)) {
            String first = connect(port(a), session, "-sess_out", version);
            assertTrue(first.contains("New, TLSv1."), first);
            assertTrue(Files.size(session) > 0, "no session saved\n" + first);
            String second = connect(port(b), session, "-sess_in", version);
            String expected = expectReused ? "Reused, TLSv1." : "New, TLSv1.";
            assertTrue(second.contains(expected), "expected " + expected + "\n" + second + a.describe() + b.describe());
            assertTrue(second.contains("resumed=" + expectReused), "the server's view (TlsFacts.resumed)\n" + second);
        }
    }

    @Test
    void tls13SessionFromOneProcessResumesOnAnother() throws Exception {
        assertResumedAcross(keys, keys, true, "-tls1_3");
    }

    @Test
    void tls12TicketFromOneProcessResumesOnAnother() throws Exception {
        assertResumedAcross(keys, keys, true, "-tls1_2");
    }

    @Test
    void aRotatedFileStillAcceptsTheOldKey() throws Exception {
        byte[] rotated = Arrays.copyOf(random(80), 160);
        System.arraycopy(oldKey, 0, rotated, 80, 80);
        Path newKeys = Files.write(dir.resolve("rotated.keys"), rotated);
        assertResumedAcross(keys, newKeys, true, "-tls1_3");
    }

    @Test
    void aDifferentKeyFileDoesNotResume() throws Exception {
        Path other = Files.write(dir.resolve("other.keys"), random(80));
        assertResumedAcross(keys, other, false, "-tls1_3");
    }

    @Test
    void tls12SessionIdResumesOnTheSameContexts() throws Exception {
        Path session = Files.createTempFile(dir, "session", ".pem");
        try (TlsContexts contexts = TlsContexts.load(TlsSettings.defaults(List.of(PemSource.combined(pem))));
                TlsTestServer server = new TlsTestServer(contexts)) {
            connect(server.port(), session, "-sess_out", "-tls1_2", "-no_ticket");
            String second = connect(server.port(), session, "-sess_in", "-tls1_2", "-no_ticket");
            assertTrue(second.contains("Reused, TLSv1.2"), second);
        }
    }
}
