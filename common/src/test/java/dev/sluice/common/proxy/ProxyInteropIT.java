package dev.sluice.common.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.proxy.RecordingProxyServer.Received;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real senders of PROXY headers, on loopback, into {@link ProxyHeaderDecoder}: curl
 * {@code --haproxy-protocol}, HAProxy {@code send-proxy} and {@code send-proxy-v2} with TLVs, and
 * hitch {@code --write-proxy-v1/v2}. Each client binds a known local port so the test can check
 * that the header names the real client.
 */
class ProxyInteropIT {
    private static final Duration START = Duration.ofSeconds(10);
    private static final Duration RUN = Duration.ofSeconds(20);
    private static final String SNI = "proxy.test";

    @TempDir
    static Path dir;
    private static Path cert;
    private static Path key;
    private static Path combined;

    @BeforeAll
    static void certificate() throws IOException {
        key = dir.resolve("key.pem");
        cert = dir.resolve("cert.pem");
        ExternalProcess.run("openssl", List.of(Sluice.tool("openssl"), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + SNI,
                "-addext", "subjectAltName=DNS:" + SNI, "-keyout", key.toString(), "-out", cert.toString()), RUN).assertExit(0);
        combined = dir.resolve("combined.pem");  // key then certificate: what hitch wants, and haproxy takes too
        Files.writeString(combined, Files.readString(key) + Files.readString(cert));
        // hitch drops to nobody after start; let it read the directory in case it reloads
        dir.toFile().setExecutable(true, false);
        combined.toFile().setReadable(true, false);
    }

    private static String curl(int localPort, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Sluice.tool("curl"), "-sS", "--max-time", "10",
                "--local-port", Integer.toString(localPort)));
        command.addAll(List.of(args));
        return ExternalProcess.run("curl", command, RUN).assertExit(0).output();
    }

    private static void assertClient(Received got, int clientPort, int frontendPort) {
        assertNotNull(got.event(), "the header was fired as a user event");
        assertEquals(got.event(), got.attribute(), "the same header is on the channel attribute");
        assertEquals(ProxyHeader.Command.PROXY, got.event().command());
        assertEquals(new InetSocketAddress("127.0.0.1", clientPort), got.event().source(), "the real client");
        assertEquals(frontendPort, ((InetSocketAddress) got.event().destination()).getPort(), "the address it connected to");
        assertTrue(got.request().startsWith("GET / HTTP/1.1\r\n"), "the request follows untouched: " + got.request());
    }

    private static ExternalProcess haproxy(String config) throws IOException {
        Path file = Files.createTempFile(dir, "haproxy-", ".cfg");
        Files.writeString(file, config);
        ExternalProcess.run("haproxy -c", List.of(Sluice.tool("haproxy"), "-c", "-f", file.toString()), RUN).assertExit(0);
        return ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
    }

    private static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 5s
                timeout client 10s
                timeout server 10s
            """;

    @Test
    void curlHaproxyProtocolV1() throws Exception {
        try (RecordingProxyServer server = new RecordingProxyServer(ProxyAcceptance.required())) {
            int clientPort = Ports.free();
            String body = curl(clientPort, "--haproxy-protocol", "http://127.0.0.1:" + server.port() + "/");
            assertEquals("ok", body);
            Received got = server.take(RUN);
            assertClient(got, clientPort, server.port());
            assertEquals(ProxyHeader.Family.INET, got.event().family());
            assertEquals(1, server.counters.acceptedV1());
            assertEquals(0, server.counters.refusals());
        }
    }

    @Test
    void haproxySendProxyV1() throws Exception {
        try (RecordingProxyServer server = new RecordingProxyServer(ProxyAcceptance.required())) {
            int frontend = Ports.free();
            String config = DEFAULTS + """
                    frontend f
                        bind 127.0.0.1:%d
                        default_backend b
                    backend b
                        server s 127.0.0.1:%d send-proxy
                    """.formatted(frontend, server.port());
            try (ExternalProcess haproxy = haproxy(config)) {
                haproxy.awaitListening("127.0.0.1", frontend, START);
                int clientPort = Ports.free();
                assertEquals("ok", curl(clientPort, "http://127.0.0.1:" + frontend + "/"), haproxy.describe());
                assertClient(server.take(RUN), clientPort, frontend);
                assertEquals(1, server.counters.acceptedV1());
                assertEquals(0, server.counters.refusals());
            }
        }
    }

    @Test
    void haproxySendProxyV2WithSslAuthorityCrcAndUniqueId() throws Exception {
        try (RecordingProxyServer server = new RecordingProxyServer(ProxyAcceptance.required())) {
            int frontend = Ports.free();
            String config = DEFAULTS + """
                    frontend f
                        bind 127.0.0.1:%d ssl crt %s alpn http/1.1
                        unique-id-format sluice-%%ci-%%cp
                        default_backend b
                    backend b
                        server s 127.0.0.1:%d send-proxy-v2 proxy-v2-options ssl,ssl-cipher,cert-sig,cert-key,authority,crc32c,unique-id
                    """.formatted(frontend, combined, server.port());
            try (ExternalProcess haproxy = haproxy(config)) {
                haproxy.awaitListening("127.0.0.1", frontend, START);
                int clientPort = Ports.free();
                String body = curl(clientPort, "-k", "--http1.1", "--tlsv1.3", "--resolve", SNI + ":" + frontend + ":127.0.0.1",
                        "https://" + SNI + ":" + frontend + "/");
                assertEquals("ok", body, haproxy.describe());
                Received got = server.take(RUN);
                assertClient(got, clientPort, frontend);
                ProxyHeader header = got.event();
                assertEquals(SNI, header.authority().orElseThrow(), "authority TLV = SNI");
                assertEquals("sluice-127.0.0.1-" + clientPort,
                        new String(header.uniqueId().orElseThrow(), StandardCharsets.US_ASCII), "unique-id TLV");
                SslInfo ssl = header.ssl().orElseThrow();
                assertTrue(ssl.ssl(), "client bits say TLS: " + ssl);
                assertEquals("TLSv1.3", ssl.version());
                assertTrue(ssl.cipher().startsWith("TLS_"), ssl.toString());
                assertNotNull(ssl.sigAlg(), ssl.toString());
                assertNotNull(ssl.keyAlg(), ssl.toString());
                assertFalse(header.tlvs().stream().anyMatch(t -> t.type() == Tlv.CRC32C), "the CRC was verified and consumed");
                assertEquals(1, server.counters.acceptedV2());
                assertEquals(0, server.counters.refusals(), "a wrong CRC32C would have been refused");
            }
        }
    }

    @Test
    void aRefusalClosesOnlyThatConnection() throws Exception {
        try (RecordingProxyServer server = new RecordingProxyServer(ProxyAcceptance.required());
             java.net.Socket good = new java.net.Socket("127.0.0.1", server.port());
             java.net.Socket bad = new java.net.Socket("127.0.0.1", server.port())) {
            good.setSoTimeout((int) RUN.toMillis());
            bad.setSoTimeout((int) RUN.toMillis());
            good.getOutputStream().write("PROXY TCP4 192.0.2.1 ".getBytes(StandardCharsets.US_ASCII));  // half a header, held open
            bad.getOutputStream().write("PROXY TCP4 192.0.2.1 192.0.2.2 01 2\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, bad.getInputStream().read(), "the malformed connection is closed");
            good.getOutputStream().write("192.0.2.2 1234 80\r\nGET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(good.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            Received got = server.take(RUN);
            assertEquals(new InetSocketAddress("192.0.2.1", 1234), got.event().source());
            assertEquals(1, server.counters.refusals(ProxyRefusal.BAD_V1));
            assertEquals(1, server.counters.acceptedV1());
        }
    }

    @Test
    void hitchWriteProxyV1() throws Exception {
        hitch("--write-proxy-v1", 1);
    }

    @Test
    void hitchWriteProxyV2() throws Exception {
        Received got = hitch("--write-proxy-v2", 2);
        assertEquals("http/1.1", got.event().alpn().orElseThrow(), "hitch sends the negotiated ALPN: " + got.event());
    }

    private static Received hitch(String option, int version) throws Exception {
        try (RecordingProxyServer server = new RecordingProxyServer(ProxyAcceptance.required())) {
            int frontend = Ports.free();
            List<String> command = List.of(Sluice.tool("hitch"), "--user=nobody", "--daemon=off", "--workers=1",
                    "--frontend=[127.0.0.1]:" + frontend, "--backend=[127.0.0.1]:" + server.port(),
                    "--alpn-protos=http/1.1", option, combined.toString());
            try (ExternalProcess hitch = ExternalProcess.start("hitch", command)) {
                hitch.awaitListening("127.0.0.1", frontend, START);
                int clientPort = Ports.free();
                String body = curl(clientPort, "-k", "--http1.1", "https://127.0.0.1:" + frontend + "/");
                assertEquals("ok", body, hitch.describe());
                Received got = server.take(RUN);
                assertClient(got, clientPort, frontend);
                assertEquals(1, version == 1 ? server.counters.acceptedV1() : server.counters.acceptedV2());
                assertEquals(0, server.counters.refusals());
                return got;
            }
        }
    }
}
