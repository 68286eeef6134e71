package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.terminator.cli.CommandLineOptions;
import dev.sluice.terminator.cli.Configuration;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.server.HandshakeFailure;
import dev.sluice.terminator.server.Terminator;
import dev.sluice.testkit.Ports;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The server inside the test JVM, so that Netty's paranoid leak detector (LeakCheck) watches
 * every buffer of the handshake, header, relay and failure paths.
 */
class InProcessIT extends LoopbackFixture {
    private static final int ROUNDS = 20;
    private static final int BODY = 256 * 1024;

    @Test
    void relayingAndFailingConnectionsReleaseEveryBuffer() throws Exception {
        int port = Ports.free();
        byte[] body = new byte[BODY];
        new Random(3).nextBytes(body);
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.ECHO)) {
            TerminatorConfig config = Configuration.load(CommandLineOptions.parse(CommandLineOptions.commandLine("test"),
                    "--frontend=[127.0.0.1]:" + port, "--backend=[127.0.0.1]:" + backend.port(), "--write-proxy-v2",
                    "--alpn-protos=h2,http/1.1", pem.toString()));
            try (Terminator terminator = Terminator.start(config)) {
                for (int i = 0; i < ROUNDS; i++) {
                    try (SSLSocket client = TlsClient.connect(port, NAME)) {
                        OutputStream out = client.getOutputStream();
                        out.write(body);
                        out.flush();
                        assertArrayEquals(body, client.getInputStream().readNBytes(BODY), "round " + i);
                    }
                }
                try (Socket plain = new Socket("127.0.0.1", port)) {
                    plain.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                    assertEquals(-1, plain.getInputStream().read());
                }
                try (Socket silent = new Socket("127.0.0.1", port)) {
                    silent.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (terminator.counters().active() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, terminator.counters().active());
                assertEquals(ROUNDS, terminator.counters().handshakes());
                assertEquals(1, terminator.counters().handshakeFailures(HandshakeFailure.NOT_TLS));
            }
        }
    }
}
