package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.Nginx;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads of the real process (scripts/balancer) by SIGUSR2 and SIGHUP while wrk loads it:
 * listeners that stay are never closed, so not one request fails or gets a non-2xx answer; a
 * frontend added by a reload listens and one removed stops; a broken configuration is refused
 * with its file:line and the old one keeps serving.
 */
class ReloadIT {
    private static final int RELOADS = 20;
    private static final Duration RELOAD_SPACING = Duration.ofMillis(200);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    private static Nginx one;
    private static Nginx two;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        one = new Nginx("one");
        two = new Nginx("two");
    }

    @AfterAll
    static void stopServers() {
        two.close();
        one.close();
    }

    @Test
    void twentyReloadsUnderKeepAliveLoadFailNoRequest() throws IOException {
        reloadsUnderLoad(List.of());
    }

    @Test
    void twentyReloadsUnderConnectionPerRequestLoadFailNoRequest() throws IOException {
        reloadsUnderLoad(List.of("-H", "Connection: close"));
    }

    @Test
    void aReloadAddsAndRemovesAFrontend() throws IOException {
        int port = Ports.free();
        int extra = Ports.free();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(port, false));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, STEP_TIMEOUT).awaitOutput("ready: pid", STEP_TIMEOUT);
            assertFalse(accepts(extra));
            Files.writeString(cfg, config(port, false) + extraFrontend(extra));
            reload(balancer, "USR2", 1);
            assertTrue(get(port).startsWith("one "), balancer.describe());
            assertTrue(get(extra).startsWith("two "), balancer.describe());
            Files.writeString(cfg, config(port, false));
            reload(balancer, "HUP", 2);
            assertFalse(accepts(extra), "the removed frontend still accepts\n" + balancer.describe());
            assertTrue(get(port).startsWith("one "), balancer.describe());
        }
    }

    @Test
    void anInvalidReloadIsRefusedWithItsLineAndTheOldConfigurationServes() throws IOException {
        int port = Ports.free();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(port, false));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, STEP_TIMEOUT).awaitOutput("ready: pid", STEP_TIMEOUT);
            String broken = config(port, false) + "backend broken\n    balance nosuchalgorithm\n";
            Files.writeString(cfg, broken);
            int line = (int) broken.lines().count();
            balancer.signal("USR2");
            balancer.awaitOutput("reload refused", STEP_TIMEOUT);
            assertTrue(balancer.output().contains(cfg + ":" + line), "no file:line in\n" + balancer.describe());
            assertTrue(get(port).startsWith("one "), balancer.describe());
            assertTrue(balancer.alive());
        }
    }

    private void reloadsUnderLoad(List<String> wrkOptions) throws IOException {
        int port = Ports.free();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(port, false));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, STEP_TIMEOUT).awaitOutput("ready: pid", STEP_TIMEOUT);
            List<String> wrk = new ArrayList<>(List.of(Sluice.tool("wrk"), "-t2", "-c16", "-d9s"));
            wrk.addAll(wrkOptions);
            wrk.add("http://127.0.0.1:" + port + "/");
            try (ExternalProcess load = ExternalProcess.start("wrk", wrk)) {
                pause(Duration.ofMillis(500));
                for (int i = 1; i <= RELOADS; i++) {
                    // Every reload changes something real: the second server comes and goes.
                    Files.writeString(cfg, config(port, i % 2 == 1));
                    reload(balancer, i % 2 == 1 ? "USR2" : "HUP", i);
                    pause(RELOAD_SPACING);
                }
                assertEquals(0, load.awaitExit(Duration.ofSeconds(30)), load.describe());
                String out = load.output();
                Matcher requests = Pattern.compile("(\\d+) requests in").matcher(out);
                assertTrue(requests.find(), out);
                assertTrue(Long.parseLong(requests.group(1)) > 1_000, out);
                assertFalse(out.contains("Socket errors"), "failed requests:\n" + out + balancer.describe());
                assertFalse(out.contains("Non-2xx"), "non-2xx answers:\n" + out);
            }
            assertEquals(RELOADS, count(balancer.output(), "reload: done"), balancer.describe());
        }
    }

    private static void reload(ExternalProcess balancer, String signal, int expectedDone) {
        balancer.signal(signal);
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (count(balancer.output(), "reload: done") < expectedDone) {
            if (System.nanoTime() > deadline || !balancer.alive()) {
                throw new AssertionError("reload " + expectedDone + " did not finish\n" + balancer.describe());
            }
            pause(Duration.ofMillis(20));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static String config(int port, boolean secondServer) {
        return """
                global
                    nbthread 2
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                    timeout http-keep-alive 2s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    server one %s
                """.formatted(port, address(one)) + (secondServer ? "    server two " + address(two) + "\n" : "");
    }

    private static String extraFrontend(int port) {
        return """
                frontend extra
                    bind 127.0.0.1:%d
                    default_backend only_two
                backend only_two
                    server two %s
                """.formatted(port, address(two));
    }

    private static String address(Nginx nginx) {
        return "127.0.0.1:" + nginx.address().getPort();
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String get(int port) {
        ExternalProcess.Result result = ExternalProcess.run("curl", List.of("curl", "-sS", "--max-time", "5",
                "http://127.0.0.1:" + port + "/"), Duration.ofSeconds(10));
        result.assertExit(0);
        return result.output();
    }
}
