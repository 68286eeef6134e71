package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The terminator as a real process, with curl, openssl s_client and a JDK client on loopback. */
class TerminatorIT extends LoopbackFixture {

    @Test
    void curlGetsTheBackendAnswerAndTheBackendAProxyV2HeaderWithEveryField() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(),
                     "--write-proxy-v2", "--alpn-protos=h2,http/1.1")) {
            ExternalProcess.Result curl = ExternalProcess.run("curl", List.of("curl", "-sS", "-k", "--http1.1",
                    "--resolve", NAME + ":" + port + ":127.0.0.1", "https://" + NAME + ":" + port + "/"), WAIT);
            assertEquals("ok", curl.assertExit(0).output(), terminator.describe());
            CaptureBackend.Header header = backend.next(WAIT).header(WAIT);
            assertEquals("V2", header.version());
            assertEquals("PROXY", header.command());
            assertEquals("TCP4", header.protocol());
            assertEquals("127.0.0.1", header.source());
            assertEquals("127.0.0.1", header.destination());
            assertEquals(port, header.destinationPort());
            assertTrue(header.sourcePort() > 0 && header.sourcePort() != port, header.toString());
            assertEquals(0x01, header.sslClient());
            assertEquals(1, header.sslVerify());
            List<CaptureBackend.Tlv> tlvs = header.tlvs();
            assertEquals(new CaptureBackend.Tlv(0x01, "http/1.1"), tlvs.get(0));
            assertEquals(new CaptureBackend.Tlv(0x02, NAME), tlvs.get(1));
            assertEquals(new CaptureBackend.Tlv(0x20, ""), tlvs.get(2));
            assertEquals(new CaptureBackend.Tlv(0x21, "TLSv1.3"), tlvs.get(3));
            assertEquals(0x23, tlvs.get(4).type());
            assertTrue(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256")
                    .contains(tlvs.get(4).value()), tlvs.toString());
            assertEquals(5, tlvs.size());
        }
    }

    @Test
    void opensslTls12CipherIsNamedTheOpenSslWay() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(),
                     "--write-proxy-v2", "--alpn-protos=h2,http/1.1")) {
            ExternalProcess.run("openssl", sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256",
                    "-alpn", "h2"), WAIT);
            CaptureBackend.Header header = backend.next(WAIT).header(WAIT);
            assertEquals(List.of(new CaptureBackend.Tlv(0x01, "h2"), new CaptureBackend.Tlv(0x02, NAME),
                    new CaptureBackend.Tlv(0x20, ""), new CaptureBackend.Tlv(0x21, "TLSv1.2"),
                    new CaptureBackend.Tlv(0x23, "ECDHE-ECDSA-AES128-GCM-SHA256")), header.tlvs(), terminator.describe());
        }
    }

    @Test
    void proxyV1AndNoTlvSwitches() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.HTTP_OK);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(), "--write-proxy-v1")) {
            ExternalProcess.run("openssl", sClient(port), WAIT);
            CaptureBackend.Connection connection = backend.next(WAIT);
            assertEquals("V1", connection.header(WAIT).version(), terminator.describe());
            String line = new String(connection.raw(), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(line.matches("(?s)PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ " + port + "\r\n.*"), line);
        }
    }

    @Test
    void tenMegabytesIntactBothWays() throws Exception {
        int port = Ports.free();
        byte[] body = new byte[10 * 1024 * 1024];
        new Random(7).nextBytes(body);
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port());
             ExecutorService threads = Executors.newCachedThreadPool();
             SSLSocket client = TlsClient.connect(port, NAME)) {
            // Read while writing: the echo comes back while the upload is still going.
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readN(client, body.length), threads);
            OutputStream out = client.getOutputStream();
            out.write(body);
            out.flush();
            byte[] back = echoed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(body.length, back.length, terminator.describe());
            assertArrayEquals(sha256(body), sha256(back));
            assertEquals(body.length, backend.next(WAIT).payloadBytes);
        }
    }

    @Test
    void fiveHundredConcurrentConnections() throws Exception {
        int port = Ports.free();
        int count = 500;
        try (CaptureBackend backend = CaptureBackend.tcp(false, CaptureBackend.Mode.ECHO);
             ExternalProcess terminator = terminator(port, "--backend=[127.0.0.1]:" + backend.port(), "--backlog=1024");
             ExecutorService threads = Executors.newFixedThreadPool(16)) {
            List<CompletableFuture<SSLSocket>> opening = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                opening.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return TlsClient.connect(port, NAME);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            List<SSLSocket> open = new ArrayList<>();
            try {
                for (CompletableFuture<SSLSocket> socket : opening) {
                    open.add(socket.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                }
                // All 500 are open at once; each now round-trips its own line.
                for (int i = 0; i < count; i++) {
                    open.get(i).getOutputStream().write(("line " + i + "\n").getBytes());
                    open.get(i).getOutputStream().flush();
                }
                for (int i = 0; i < count; i++) {
                    byte[] expected = ("line " + i + "\n").getBytes();
                    byte[] got = open.get(i).getInputStream().readNBytes(expected.length);
                    assertArrayEquals(expected, got, "connection " + i + "\n" + terminator.describe());
                }
                assertEquals(count, backend.connectionCount());
            } finally {
                for (SSLSocket socket : open) {
                    socket.close();
                }
            }
        }
    }
}
