package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.TestCerts;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The process around the data path: --test, --help, signals, metrics, privileges, timeouts. */
class ProcessIT extends LoopbackFixture {

    private static ExternalProcess.Result run(String... args) {
        return ExternalProcess.run("terminator", Sluice.command("terminator", args), START);
    }

    @Test
    void testModeAcceptsAGoodHitchConf() throws Exception {
        Path conf = Files.writeString(dir.resolve("good.conf"), """
                frontend = {
                    host = "127.0.0.1"
                    port = "8443"
                }
                backend = "[127.0.0.1]:8000"
                pem-file = "%s"
                write-proxy-v2 = on
                workers = 1
                daemon = off
                """.formatted(pem));
        ExternalProcess.Result result = run("--config=" + conf, "--test").assertExit(0);
        assertEquals("configuration ok: 1 frontend(s), backend [127.0.0.1]:8000\n", result.output());
    }

    @Test
    void testModeListsEveryProblemWithItsPlace() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), """
                backend = "[127.0.0.1]:80000"
                bakclog = 10
                pem-file = "%s"
                write-ip = on
                write-proxy-v2 = on
                """.formatted(pem));
        ExternalProcess.Result result = run("--config=" + conf, "--test", "--keepalive=soon").assertExit(1);
        assertEquals(conf + ":2: unknown key 'bakclog' (did you mean 'backlog'?)\n"
                + conf + ":1: backend: '[127.0.0.1]:80000': port 80000 is out of range (1-65535)\n"
                + "--keepalive: keepalive: 'soon' is not a number of seconds\n"
                + conf + ":5: write-ip, write-proxy-v1, write-proxy-v2 (write-proxy) and proxy-proxy are mutually"
                + " exclusive (another is on at " + conf + ":4)\n", result.output());
    }

    @Test
    void testModeLoadsTheCertificates() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN NONSENSE-----\n");
        ExternalProcess.Result result = run("--test", "--frontend=[127.0.0.1]:8443", garbage.toString()).assertExit(1);
        assertTrue(result.output().startsWith(garbage.toString()), result.output());
    }

    @Test
    void testModeLooksUpTheUser() {
        ExternalProcess.Result result = run("--test", "--user=no-such-user-here", pem.toString()).assertExit(1);
        assertEquals("--user/--group: user 'no-such-user-here' does not exist\n", result.output());
        run("--test", "--user=nobody", "--group=nogroup", pem.toString()).assertExit(0);
    }

    @Test
    void unsupportedOptionIsRefusedWithAReason() {
        ExternalProcess.Result result = run("--chroot=/var/empty", pem.toString()).assertExit(1);
        assertEquals("--chroot: 'chroot' is not supported: chroot is not supported because the JVM loads classes"
                + " and native libraries after start; use systemd sandboxing (RootDirectory=, ProtectSystem=)"
                + " instead [chroot]\n", result.output());
    }

    @Test
    void helpAndVersion() {
        String help = run("--help").assertExit(0).output();
        assertTrue(help.contains("-f, --frontend=[HOST]:PORT[+CERT]"), help);
        assertTrue(help.contains("--write-proxy-v2=on|off"), help);
        assertFalse(help.contains("--daemon"), "refused options stay out of the help:\n" + help);
        assertTrue(run("--version").assertExit(0).output().startsWith("sluice-terminator "));
    }

    @Test
    void sigtermStopsAcceptingLetsConnectionsFinishAndExitsZero() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(), "--drain-timeout=20");
             SSLSocket client = TlsClient.connect(port, NAME)) {
            assertEquals("before\n", roundTrip(client, "before\n"));
            terminator.signal("TERM");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (Ports.accepting("127.0.0.1", port) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(Ports.accepting("127.0.0.1", port), "still accepting after SIGTERM");
            assertEquals("during drain\n", roundTrip(client, "during drain\n"), terminator.describe());
            client.close();
            assertEquals(0, terminator.awaitExit(WAIT), terminator.describe());
            assertTrue(terminator.output().contains("exiting: connections accepted="), terminator.describe());
        }
    }

    @Test
    void sighupSwapsCertificatesAndKeepsTheOldOnesWhenTheNewConfigIsBad() throws Exception {
        int port = Ports.free();
        Path other = TestCerts.ecdsa(dir, "other.test");
        Path conf = dir.resolve("reload.conf");
        Files.writeString(conf, "frontend = \"[127.0.0.1]:" + port + "\"\npem-file = \"" + pem + "\"\n");
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = Sluice.terminator("--config=" + conf, "--backend=[127.0.0.1]:" + backend.port())
                     .awaitListening("127.0.0.1", port, START)) {
            assertTrue(servedSubject(port).contains("CN = " + NAME), terminator.describe());

            Files.writeString(conf, "frontend = \"[127.0.0.1]:" + port + "\"\npem-file = \"" + other + "\"\n");
            terminator.signal("HUP");
            terminator.awaitOutput("reloaded: new connections use the new certificates", WAIT);
            assertTrue(servedSubject(port).contains("CN = other.test"), terminator.describe());

            Files.writeString(conf, "frontend = \"[127.0.0.1]:" + port + "\"\npem-file = \"" + pem + "\"\nbaklog = 3\n");
            terminator.signal("HUP");
            terminator.awaitOutput(conf + ":3: unknown key 'baklog'", WAIT);
            assertTrue(servedSubject(port).contains("CN = other.test"), "a bad reload must keep the old certificates");
        }
    }

    private static String servedSubject(int port) {
        return ExternalProcess.run("openssl", sClient(port), WAIT).output().lines()
                .filter(line -> line.startsWith("subject=")).findFirst().orElse("no subject");
    }

    @Test
    void metricsCountHandshakesFailuresAndBackendErrors() throws Exception {
        int port = Ports.free();
        int metricsPort = Ports.free();
        int deadBackend = Ports.free();
        try (ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + deadBackend,
                "--metrics=[127.0.0.1]:" + metricsPort)) {
            Ports.awaitAccepting("127.0.0.1", metricsPort, WAIT);
            try (Socket plain = new Socket("127.0.0.1", port)) {
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertEquals(-1, plain.getInputStream().read(), "a plain HTTP client is disconnected");
            }
            ExternalProcess.Result curl = ExternalProcess.run("curl", List.of("curl", "-sS", "-k",
                    "https://127.0.0.1:" + port + "/"), WAIT);
            assertTrue(curl.exit() != 0, "the backend is down, so curl must fail: " + curl.output());
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("sluice_terminator_handshakes_total 1\n"), metrics);
            assertTrue(metrics.contains("sluice_terminator_handshake_failures_total{reason=\"not_tls\"} 1\n"), metrics);
            assertTrue(metrics.contains("sluice_terminator_backend_connect_failures_total 1\n"), metrics);
            terminator.signal("USR1");
            terminator.awaitOutput("handshakes ok=1 resumed=0 failed=\\{not_tls=1\\} backend connect failures=1", WAIT);
        }
    }

    @Test
    void ipv6FrontendWritesATcp6Header() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = Sluice.terminator("--frontend=[::1]:" + port,
                     "--backend=[127.0.0.1]:" + backend.port(), "--write-proxy-v1", pem.toString())
                     .awaitListening("::1", port, START)) {
            ExternalProcess.Result curl = ExternalProcess.run("curl", List.of("curl", "-sS", "-k", "-6",
                    "https://[::1]:" + port + "/"), WAIT);
            assertEquals("ok", curl.assertExit(0).output(), terminator.describe());
            CaptureBackend.Connection connection = backend.next(WAIT);
            CaptureBackend.Header header = connection.header(WAIT);
            assertEquals("TCP6", header.protocol());
            assertEquals("::1", header.source());
            assertEquals("::1", header.destination());
            assertTrue(new String(connection.raw()).startsWith("PROXY TCP6 ::1 ::1 "), new String(connection.raw()));
        }
    }

    @Test
    void handshakeDeadlineClosesASilentClient() throws Exception {
        int port = Ports.free();
        int metricsPort = Ports.free();
        try (ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + Ports.free(),
                "--ssl-handshake-timeout=1", "--metrics=[127.0.0.1]:" + metricsPort)) {
            try (Socket silent = new Socket("127.0.0.1", port)) {
                silent.setSoTimeout((int) WAIT.toMillis());
                assertEquals(-1, silent.getInputStream().read(), "the deadline must close the connection");
            }
            Ports.awaitAccepting("127.0.0.1", metricsPort, WAIT);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("sluice_terminator_handshake_failures_total{reason=\"timeout\"} 1\n"), metrics);
        }
    }

    @Test
    void unixSocketBackend() throws Exception {
        int port = Ports.free();
        Path socket = dir.resolve("backend.sock");
        try (CaptureBackend backend = CaptureBackend.unix(socket, true, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = terminator(port, "--backend=" + socket, "--write-proxy-v2")) {
            ExternalProcess.Result curl = ExternalProcess.run("curl", List.of("curl", "-sS", "-k",
                    "https://127.0.0.1:" + port + "/"), WAIT);
            assertEquals("ok", curl.assertExit(0).output(), terminator.describe());
            CaptureBackend.Header header = backend.next(WAIT).header(WAIT);
            assertEquals("127.0.0.1", header.source());
            assertEquals(port, header.destinationPort());
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    @Test
    void proxyProxyPassesTheClientsOwnHeader() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(), "--proxy-proxy")) {
            ExternalProcess.Result curl = ExternalProcess.run("curl", List.of("curl", "-sS", "-k", "--haproxy-protocol",
                    "https://127.0.0.1:" + port + "/"), WAIT);
            assertEquals("ok", curl.assertExit(0).output(), terminator.describe());
            CaptureBackend.Header header = backend.next(WAIT).header(WAIT);
            assertEquals("V1", header.version(), "curl sends v1; it must arrive as v1");
            assertEquals(port, header.destinationPort());
        }
    }

    @Test
    void dropsPrivilegesAfterBinding() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(), "--user=nobody")) {
            // Listening comes first, then the switch, then "ready".
            terminator.awaitOutput("ready: pid", WAIT);
            String status = Files.readString(Path.of("/proc/" + terminator.pid() + "/status"));
            assertTrue(status.contains("\nUid:\t65534\t65534\t65534\t65534\n"), status);
            assertTrue(status.contains("\nGid:\t65534\t65534\t65534\t65534\n"), status);
            try (SSLSocket client = TlsClient.connect(port, NAME)) {
                assertEquals("still serving\n", roundTrip(client, "still serving\n"));
            }
        }
    }

    @Test
    void idleTimeoutClosesAQuietConnection() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(), "--idle-timeout=1");
             SSLSocket client = TlsClient.connect(port, NAME)) {
            assertEquals("hi\n", roundTrip(client, "hi\n"));
            // The socket timeout (30 s) bounds this read; the idle timeout must end it first.
            assertEquals(-1, client.getInputStream().read(), terminator.describe());
        }
    }

    private static String roundTrip(SSLSocket client, String line) throws Exception {
        OutputStream out = client.getOutputStream();
        out.write(line.getBytes());
        out.flush();
        byte[] back = client.getInputStream().readNBytes(line.length());
        assertArrayEquals(line.getBytes(), back);
        return new String(back);
    }
}
