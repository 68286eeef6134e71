package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.terminator.cli.CommandLineOptions;
import dev.sluice.terminator.cli.Configuration;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.server.Terminator;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * openssl s_time opens a connection, finishes the handshake and leaves at once, so the client is
 * often gone (its reset fails our session-ticket write) while the backend connection is still
 * being set up. That is not a backend failure: it was counted and logged at WARN as one, once per
 * connection, which also cost CPU in the handshake benchmark.
 */
class ClientLeavesEarlyIT extends LoopbackFixture {
    /** Seconds of handshakes: hundreds of connections, of which many leave during the connect. */
    private static final String SECONDS = "2";

    @Test
    void clientLeavingDuringTheBackendConnectIsNotABackendFailure() throws Exception {
        int port = Ports.free();
        try (CaptureBackend backend = CaptureBackend.tcp(true, CaptureBackend.Mode.HTTP_OK)) {
            TerminatorConfig config = Configuration.load(CommandLineOptions.parse(CommandLineOptions.commandLine("test"),
                    "--frontend=[127.0.0.1]:" + port, "--backend=[127.0.0.1]:" + backend.port(), "--write-proxy-v2",
                    pem.toString()));
            try (Terminator terminator = Terminator.start(config)) {
                ExternalProcess.Result sTime = ExternalProcess.run("s_time", List.of("openssl", "s_time", "-connect",
                        "127.0.0.1:" + port, "-new", "-tls1_3", "-time", SECONDS), WAIT).assertExit(0);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (terminator.counters().active() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                String summary = terminator.counters().summary();
                assertEquals(0, terminator.counters().active(), summary);
                assertTrue(terminator.counters().handshakes() > 50, summary + "\n" + sTime.output());
                assertEquals(0, terminator.counters().backendConnectFailures(), summary);
            }
        }
    }
}
