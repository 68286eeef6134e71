package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code option http-buffer-request} and TCP keep-alive, end to end. The buffering cases run the
 * same steps against Debian's haproxy 2.6 and against our engine: a server connection only once
 * the body is here, a 100 Continue answered by the proxy itself, a 408 when {@code timeout
 * http-request} ends the wait; {@code option http-ignore-probes} closes a silent connection without
 * a 408. Keep-alive is read back from the kernel with {@code ss}.
 */
class ProxyTuningIT {

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    /** How long a proxy is given to (wrongly) open a server connection for a held request. */
    private static final Duration GRACE = Duration.ofMillis(400);

    private static final String BUFFERING = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
              timeout http-request 1500ms
            frontend fe
              bind 127.0.0.1:%1$d
              %3$s
              default_backend app
            backend app
              server s %2$s
            """;

    /** Runs the buffering config on haproxy or on our engine; the port it listens on is given to {@code steps}. */
    private interface Steps {
        void run(int port, ScriptedServer server) throws Exception;
    }

    private static void onBoth(String option, Steps steps) throws Exception {
        for (boolean ours : new boolean[] {false, true}) {
            int port = Ports.free();
            try (ScriptedServer server = new ScriptedServer(REPLY)) {
                Path file = Files.createTempFile("sluice-tuning-", ".cfg");
                try {
                    Files.writeString(file, BUFFERING.formatted(port, "127.0.0.1:" + server.address().getPort(), option));
                    if (ours) {
                        LoadResult loaded = ConfigLoader.load(List.of(file));
                        assertTrue(loaded.isValid(), loaded.render());
                        try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                            steps.run(port, server);
                        }
                    } else {
                        try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                                List.of("haproxy", "-db", "-f", file.toString()))) {
                            haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
                            steps.run(port, server);
                        }
                    }
                } catch (AssertionError e) {
                    throw new AssertionError((ours ? "sluice: " : "haproxy: ") + e.getMessage(), e);
                } finally {
                    Files.delete(file);
                }
            }
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        for (int i = 0; i < 1000 && System.nanoTime() < end; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            out.write("<timeout>".getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static final String UPLOAD_HEAD = "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nConnection: close\r\n";

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSlowUploadReachesTheServerOnlyWhenComplete(boolean buffered) throws Exception {
        onBoth(buffered ? "option http-buffer-request" : "", (port, server) -> {
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(5_000);
                send(client.getOutputStream(), UPLOAD_HEAD + "\r\nhello");
                boolean connected = within(GRACE, () -> server.connections() > 0);
                assertEquals(!buffered, connected, "a server connection before the body ended");
                send(client.getOutputStream(), "world");
                String response = readToEnd(client.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200 "), response);
                assertEquals(1, server.heads().size());
            }
        });
    }

    @Test
    void expectContinueIsAnsweredByTheProxyWhileItWaits() throws Exception {
        onBoth("option http-buffer-request", (port, server) -> {
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(5_000);
                send(client.getOutputStream(), UPLOAD_HEAD + "Expect: 100-continue\r\n\r\n");
                byte[] interim = client.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
                assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(interim, StandardCharsets.ISO_8859_1));
                assertEquals(0, server.connections());
                send(client.getOutputStream(), "helloworld");
                String response = readToEnd(client.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 200 "), response);
                assertFalse(server.heads().getFirst().toLowerCase().contains("expect"), server.heads().getFirst());
            }
        });
    }

    @Test
    void anUnfinishedBodyEndsWithA408AfterTimeoutHttpRequest() throws Exception {
        onBoth("option http-buffer-request", (port, server) -> {
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(5_000);
                send(client.getOutputStream(), UPLOAD_HEAD + "\r\nhel");
                String response = readToEnd(client.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 408 "), response);
                assertEquals(0, server.connections());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aProbeThatSendsNothingEndsSilentlyWithIgnoreProbes(boolean ignore) throws Exception {
        onBoth(ignore ? "option http-ignore-probes" : "", (port, server) -> {
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.setSoTimeout(5_000);
                String response = readToEnd(client.getInputStream());
                if (ignore) {
                    assertEquals("", response);
                } else {
                    assertTrue(response.startsWith("HTTP/1.1 408 "), response);
                }
            }
        });
    }

    @Test
    void monitorRequestsAreNeverLogged() throws Exception {
        try (dev.sluice.balancer.support.SyslogReceiver syslog = new dev.sluice.balancer.support.SyslogReceiver()) {
            onBoth("log 127.0.0.1:" + syslog.port() + " local0\n  option httplog\n  option dontlognull\n"
                    + "  monitor-uri /health", (port, server) -> {
                        for (String target : List.of("/health", "/after")) {
                            try (Socket client = new Socket("127.0.0.1", port)) {
                                client.setSoTimeout(5_000);
                                send(client.getOutputStream(), "GET " + target + " HTTP/1.1\r\nHost: a\r\n"
                                        + "Connection: close\r\n\r\n");
                                assertTrue(readToEnd(client.getInputStream()).startsWith("HTTP/1.1 200 "), target);
                            }
                        }
                        String line = syslog.next();
                        assertTrue(line != null && line.contains("GET /after "), "first line logged: " + line);
                    });
        }
    }

    @Test
    void overHttp2TheMonitorAnswersAndAHeldUploadStillPasses() throws Exception {
        int port = Ports.free();
        try (dev.sluice.balancer.support.EchoServer echo = new dev.sluice.balancer.support.EchoServer()) {
            Path file = Files.createTempFile("sluice-tuning-h2-", ".cfg");
            try {
                Files.writeString(file, BUFFERING.formatted(port, "127.0.0.1:" + echo.address().getPort(),
                        "option http-buffer-request\n  monitor-uri /health").replace(":" + port, ":" + port + " proto h2"));
                LoadResult loaded = ConfigLoader.load(List.of(file));
                assertTrue(loaded.isValid(), loaded.render());
                try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                    String base = "http://127.0.0.1:" + port;
                    String get = curl("-i", base + "/health");
                    assertTrue(get.startsWith("HTTP/2 200") && get.contains("Service ready."), get);
                    String head = curl("-I", base + "/health");
                    assertTrue(head.startsWith("HTTP/2 200"), head);
                    String upload = curl("--data-binary", "hello body", base + "/up");
                    assertEquals("hello body", upload);
                }
            } finally {
                Files.delete(file);
            }
        }
    }

    private static String curl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--http2-prior-knowledge", "-m", "10"));
        command.addAll(List.of(args));
        return ExternalProcess.run("curl", command, Duration.ofSeconds(20)).assertExit(0).output();
    }

    private static final String KEEPALIVE = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 30s
              timeout server 30s
            frontend ka
              bind 127.0.0.1:%1$d
              option clitcpka
              clitcpka-idle 1000
              clitcpka-intvl 5s
              clitcpka-cnt 3
              default_backend app
            frontend plain
              bind 127.0.0.1:%2$d
              default_backend app
            backend app
              option srvtcpka
              srvtcpka-idle 2000
              server s %3$s
            """;

    /** {@code ss}'s line of each established TCP socket matching {@code filter}. */
    private static String sockets(String filter) {
        return ExternalProcess.run("ss", List.of("ss", "-tnoH", "state", "established", filter), Duration.ofSeconds(10))
                .assertExit(0).output();
    }

    @Test
    void keepAliveIsSetOnTheSocketsOfTheSidesThatAskForIt() throws Exception {
        int ka = Ports.free();
        int plain = Ports.free();
        try (ScriptedServer server = new ScriptedServer(REPLY)) {
            Path file = Files.createTempFile("sluice-tcpka-", ".cfg");
            try {
                Files.writeString(file, KEEPALIVE.formatted(ka, plain, "127.0.0.1:" + server.address().getPort()));
                LoadResult loaded = ConfigLoader.load(List.of(file));
                assertTrue(loaded.isValid(), loaded.render());
                try (RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
                     Socket toKa = new Socket("127.0.0.1", ka); Socket toPlain = new Socket("127.0.0.1", plain)) {
                    toKa.setSoTimeout(5_000);
                    send(toKa.getOutputStream(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                    byte[] reply = toKa.getInputStream().readNBytes(REPLY.length());
                    assertEquals(REPLY, new String(reply, StandardCharsets.ISO_8859_1));
                    // Idle 1000 s shows as a keep-alive timer of 16 min and some seconds; the other frontend has none.
                    Pattern client = Pattern.compile("timer:\\(keepalive,16min");
                    String kaSide = sockets("( sport = :" + ka + " )");
                    assertTrue(client.matcher(kaSide).find(), kaSide);
                    String plainSide = sockets("( sport = :" + plain + " )");
                    assertFalse(plainSide.isBlank(), "no socket of the plain frontend");
                    assertFalse(plainSide.contains("keepalive"), plainSide);
                    // The pooled server connection: idle 2000 s is 33 min and some seconds.
                    String serverSide = sockets("( dport = :" + server.address().getPort() + " )");
                    assertTrue(Pattern.compile("timer:\\(keepalive,33min").matcher(serverSide).find(),
                            serverSide);
                }
            } finally {
                Files.delete(file);
            }
        }
    }
}
