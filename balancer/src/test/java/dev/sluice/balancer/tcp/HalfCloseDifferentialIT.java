package dev.sluice.balancer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code mode tcp} half-close beside Debian's haproxy 2.6: a client that sends its request and then
 * its FIN still gets the answer of a server that reads to the end before answering; and with
 * {@code timeout server-fin}, a silent server is given up on soon after the client's FIN was
 * passed on to it, in both.
 */
class HalfCloseDifferentialIT {
    private static final int CLIENT_WAIT_MILLIS = 8_000;
    /** server-fin is 1 s, timeout client/server 30 s: a close well before this came from server-fin. */
    private static final long FIN_BOUND_MILLIS = 5_000;
    private static final int MAX_ACCEPTS = 10;

    private static String config(int port, int server) {
        return """
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 30s
                  timeout server 30s
                  timeout server-fin 1s
                listen l
                  bind 127.0.0.1:%d
                  server s 127.0.0.1:%d
                """.formatted(port, server);
    }

    /** Reads each connection to its end, then answers how many bytes came; or, silent, never does anything. */
    private static final class EndReadingServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<Socket> open = new CopyOnWriteArrayList<>();
        final boolean silent;

        EndReadingServer(boolean silent) throws IOException {
            this.silent = silent;
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < MAX_ACCEPTS; i++) {
                    try {
                        Socket client = socket.accept();
                        open.add(client);
                        if (!silent) {
                            Thread.ofVirtual().start(() -> serve(client));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void serve(Socket client) {
            try (client) {
                byte[] all = client.getInputStream().readAllBytes();
                client.getOutputStream().write(("got " + all.length + " bytes\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // the proxy went away
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    /** Sends, half-closes, and reads until the end: what came, and whether the end came soon. */
    private static String halfCloseClient(int port) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            client.setSoTimeout(CLIENT_WAIT_MILLIS);
            client.getOutputStream().write("hello world".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            long start = System.nanoTime();
            InputStream in = client.getInputStream();
            String got;
            try {
                got = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (SocketTimeoutException e) {
                return "still open";
            }
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            return "[" + got.trim() + "] then closed" + (millis < FIN_BOUND_MILLIS ? " soon" : " late");
        }
    }

    @Test
    void sameAsHaproxy() throws IOException {
        Path dir = Files.createTempDirectory("sluice-halfclose-");
        try (EndReadingServer counting = new EndReadingServer(false); EndReadingServer silent = new EndReadingServer(true)) {
            int theirs = Ports.free();
            int theirsSilent = Ports.free();
            Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), config(theirs, counting.port()));
            Path cfgSilent = Files.writeString(dir.resolve("silent.cfg"), config(theirsSilent, silent.port()));
            LoadResult ours = ConfigLoader.parse("ours.cfg", config(Ports.free(), counting.port()), Map.of());
            LoadResult oursSilent = ConfigLoader.parse("silent.cfg", config(Ports.free(), silent.port()), Map.of());
            assertTrue(ours.config().isPresent(), ours.diagnostics().toString());
            assertTrue(oursSilent.config().isPresent(), oursSilent.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 ExternalProcess haproxySilent = ExternalProcess.start("haproxy",
                         List.of("haproxy", "-db", "-f", cfgSilent.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(ours.config().get()).plan());
                 RunningBalancer balancerSilent = Balancer.start(Compiler.compile(oursSilent.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirs, Duration.ofSeconds(10));
                haproxySilent.awaitListening("127.0.0.1", theirsSilent, Duration.ofSeconds(10));
                int ourPort = ((InetSocketAddress) balancer.boundAddresses().getFirst()).getPort();
                int ourSilentPort = ((InetSocketAddress) balancerSilent.boundAddresses().getFirst()).getPort();

                String expected = halfCloseClient(theirs);
                assertEquals("[got 11 bytes] then closed soon", expected, "haproxy's own behaviour");
                assertEquals(expected, halfCloseClient(ourPort));

                String expectedSilent = halfCloseClient(theirsSilent);
                assertEquals("[] then closed soon", expectedSilent, "haproxy's own behaviour");
                assertEquals(expectedSilent, halfCloseClient(ourSilentPort));
            }
        } finally {
            for (String name : List.of("haproxy.cfg", "silent.cfg")) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        }
    }
}
