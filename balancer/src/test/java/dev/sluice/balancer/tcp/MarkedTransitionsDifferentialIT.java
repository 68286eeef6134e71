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
 * {@code on-marked-down shutdown-sessions} and {@code on-marked-up shutdown-backup-sessions} beside
 * Debian's haproxy 2.6, in mode tcp: a client holds a connection to a server; the server's health
 * check then fails (or, for the backup case, the active server's check starts passing), and the
 * client's connection must end in both — or stay open in both without the keyword.
 */
class MarkedTransitionsDifferentialIT {
    private static final int MAX_ACCEPTS = 16;
    /** Checks run every 200 ms with rise 1 / fall 1: a transition takes well under this. */
    private static final int WAIT_FOR_CLOSE_MILLIS = 4_000;

    /** Echoes what it reads; stays open until the proxy closes. */
    private static final class EchoServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> open = new CopyOnWriteArrayList<>();

        EchoServer(int port) throws IOException {
            socket = new ServerSocket(port, 10, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < MAX_ACCEPTS; i++) {
                    try {
                        Socket client = socket.accept();
                        open.add(client);
                        Thread.ofVirtual().start(() -> echo(client));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private static void echo(Socket client) {
            try (client) {
                client.getInputStream().transferTo(client.getOutputStream());
            } catch (IOException ignored) {
                // closed by the proxy
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

    private static String downConfig(int port, int server, int check, String option) {
        return """
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 30s
                  timeout server 30s
                listen l
                  bind 127.0.0.1:%d
                  server s 127.0.0.1:%d check port %d inter 200ms rise 1 fall 1 %s
                """.formatted(port, server, check, option);
    }

    private static String upConfig(int port, int active, int check, int backup) {
        return """
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 30s
                  timeout server 30s
                listen l
                  bind 127.0.0.1:%d
                  server a 127.0.0.1:%d check port %d inter 200ms rise 1 fall 1 on-marked-up shutdown-backup-sessions
                  server b 127.0.0.1:%d backup
                """.formatted(port, active, check, backup);
    }

    /** Opens a relayed connection (proved by an echo), runs {@code change}, then says whether it ended. */
    private static String holdThrough(int port, IoAction change) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            client.setSoTimeout(3_000);
            client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            String echoed = new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
            change.run();
            client.setSoTimeout(WAIT_FOR_CLOSE_MILLIS);
            try {
                int next = client.getInputStream().read();
                return echoed + " then " + (next == -1 ? "closed" : "data");
            } catch (SocketTimeoutException e) {
                return echoed + " then open";
            } catch (IOException e) {
                return echoed + " then reset";
            }
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private static String runBoth(Path dir, java.util.function.IntFunction<String> config, int checkPorts,
                                  IoAction[] changes) throws IOException {
        int theirPort = Ports.free();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), config.apply(theirPort));
        LoadResult loaded = ConfigLoader.parse("ours.cfg", config.apply(Ports.free()), Map.of());
        assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
             RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
            haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
            String theirs = holdThrough(theirPort, changes[0]);
            String ours = holdThrough(((InetSocketAddress) balancer.boundAddresses().getFirst()).getPort(), changes[1]);
            assertEquals(theirs, ours);
            return theirs;
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    @Test
    void markedDownClosesSessionsOnlyWithTheKeyword() throws IOException {
        Path dir = Files.createTempDirectory("sluice-marked-");
        try (EchoServer server = new EchoServer(0)) {
            for (String option : List.of("on-marked-down shutdown-sessions", "")) {
                // Each proxy gets its own check port, closed to fail its checks.
                EchoServer[] checks = {new EchoServer(0), new EchoServer(0)};
                int[] index = {0};
                String outcome = runBoth(dir, port -> downConfig(port, server.port(), checks[index[0]++].port(), option),
                        2, new IoAction[] {checks[0]::close, checks[1]::close});
                assertEquals(option.isEmpty() ? "ping then open" : "ping then closed", outcome, "haproxy's own behaviour");
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void activeServerComingUpClosesBackupSessions() throws IOException {
        Path dir = Files.createTempDirectory("sluice-marked-");
        try (EchoServer active = new EchoServer(0); EchoServer backup = new EchoServer(0)) {
            int[] checkPorts = {Ports.free(), Ports.free()};
            List<EchoServer> opened = new CopyOnWriteArrayList<>();
            int[] index = {0};
            try {
                String outcome = runBoth(dir, port -> upConfig(port, active.port(), checkPorts[index[0]++], backup.port()),
                        2, new IoAction[] {() -> opened.add(new EchoServer(checkPorts[0])),
                            () -> opened.add(new EchoServer(checkPorts[1]))});
                assertEquals("ping then closed", outcome, "haproxy's own behaviour");
            } finally {
                for (EchoServer e : opened) {
                    e.close();
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
