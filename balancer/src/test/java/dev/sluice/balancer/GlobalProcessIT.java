package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The process settings of {@code global} on the real process ({@code scripts/balancer}, run as
 * root here): the switch to {@code user/group} after binding, a reload that would need root to
 * bind refused while the old configuration keeps serving, the alert and exit when the switch is
 * not allowed, {@code ulimit-n}, the pid file, and {@code hard-stop-after} closing what a retired
 * or stopping configuration still holds.
 */
class GlobalProcessIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration STEP = Duration.ofSeconds(15);
    /** hard-stop-after in these tests; the built-in limits are 10 minutes (reload) and 5 s (stop). */
    private static final int HARD_STOP_MILLIS = 1_000;
    /** How long a client waits for the close hard-stop-after causes (a few times the limit). */
    private static final int CLOSE_WAIT_MILLIS = 8_000;
    /** Health checks observed by the spread-checks test. */
    private static final int SPREAD_SAMPLES = 30;

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("b.cfg");
        Files.writeString(file, text);
        return file;
    }

    private void readableByAll(Path cfg) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String http(int port) {
        return """
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                frontend fe
                    bind 127.0.0.1:%d
                    http-request return status 200 content-type text/plain string served
                """.formatted(port);
    }

    private static String curl(int port) {
        return ExternalProcess.run("curl", List.of("curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + port + "/"),
                STEP).output();
    }

    private static String id(String flag, String name) {
        return ExternalProcess.run("id", List.of("id", flag, name), STEP).assertExit(0).output().trim();
    }

    @Test
    void switchesToTheUserAfterBindingAndRefusesAReloadThatNeedsRoot() throws Exception {
        int port = Ports.free();
        String head = "global\n    user haproxy\n    group haproxy\n";
        Path cfg = write(head + http(port));
        // A reload reads the file as the user switched to, as it would /etc/haproxy/haproxy.cfg (0644).
        readableByAll(cfg);
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            String uid = id("-u", "haproxy");
            String gid = id("-g", "haproxy");
            String status = Files.readString(Path.of("/proc/" + balancer.pid() + "/status"));
            assertTrue(status.contains("\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"), status);
            assertTrue(status.contains("\nGid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid + "\n"), status);
            assertEquals("served", curl(port));

            // Port 1 needs root: the reload is refused with the reason, the old listener keeps serving.
            Files.writeString(cfg, head + http(port) + "    bind 127.0.0.1:1\n");
            balancer.signal("HUP");
            balancer.awaitOutput("reload refused: cannot bind /127.0.0.1:1: .*Permission denied \\(the process gave up "
                    + "root at start \\(uid " + uid + "\\)", STEP);
            assertEquals("served", curl(port));

            // What the user may do still reloads: here a second unprivileged port.
            int second = Ports.free();
            Files.writeString(cfg, head + http(port) + "    bind 127.0.0.1:" + second + "\n");
            balancer.signal("HUP");
            balancer.awaitOutput("reload: done", STEP);
            assertEquals("served", curl(second));
            assertEquals("served", curl(port));
        }
    }

    /** 'user' alone keeps the group, 'gid' alone keeps the user: the same ids as haproxy's. */
    @ParameterizedTest
    @ValueSource(strings = {"user haproxy", "gid 4242", "uid 4343\n    group haproxy"})
    void partialSwitchesMatchHaproxy(String lines) throws Exception {
        int theirPort = Ports.free();
        int ourPort = Ports.free();
        Path theirs = write("global\n    " + lines + "\n" + http(theirPort));
        Path ours = Files.writeString(dir.resolve("ours.cfg"), "global\n    " + lines + "\n" + http(ourPort));
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                     List.of(Sluice.tool("haproxy"), "-db", "-f", theirs.toString()));
             ExternalProcess balancer = Sluice.balancer("-f", ours.toString())) {
            haproxy.awaitListening("127.0.0.1", theirPort, START);
            balancer.awaitListening("127.0.0.1", ourPort, START).awaitOutput("ready: pid", START);
            assertEquals(ids(haproxy), ids(balancer), lines);
            assertEquals("served", curl(ourPort));
        }
    }

    /** The Uid, Gid and Groups lines of /proc/PID/status. */
    private static List<String> ids(ExternalProcess process) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")).stream()
                .filter(l -> l.startsWith("Uid:") || l.startsWith("Gid:") || l.startsWith("Groups:"))
                .map(String::strip).toList();
    }

    /**
     * The stats socket in a directory the user owns, as Debian's /run/haproxy: reloads after the
     * switch bind it again; a reload that fails (here on a stats port below 1024) gives the
     * running configuration its socket back.
     */
    @Test
    void theStatsSocketSurvivesReloadsAfterTheSwitch() throws Exception {
        int port = Ports.free();
        Path sockets = Files.createDirectories(dir.resolve("run"));
        ExternalProcess.run("chown", List.of("chown", "haproxy:haproxy", sockets.toString()), STEP).assertExit(0);
        Path socket = sockets.resolve("admin.sock");
        String head = "global\n    user haproxy\n    group haproxy\n    stats socket " + socket
                + " mode 660 level admin\n";
        Path cfg = write(head + http(port));
        readableByAll(cfg);
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            assertTrue(showInfo(socket).contains("Pid: " + balancer.pid()));

            balancer.signal("HUP");
            balancer.awaitOutput("reload: done", STEP);
            assertTrue(showInfo(socket).contains("Pid: " + balancer.pid()), "bound again by the user");

            Files.writeString(cfg, head.replace("global\n", "global\n    stats socket 127.0.0.1:2\n") + http(port));
            balancer.signal("HUP");
            balancer.awaitOutput("reload refused: cannot bind stats socket /127.0.0.1:2: .*\\(the process gave up "
                    + "root", STEP);
            assertTrue(showInfo(socket).contains("Pid: " + balancer.pid()), "given back after the failed reload");
            assertEquals("served", curl(port));
            assertFalse(balancer.output().contains("cannot be bound again"), balancer.describe());
        }
    }

    private static String showInfo(Path socket) {
        return ExternalProcess.run("socat", List.of("sh", "-c", "echo 'show info' | socat -t 5 - UNIX-CONNECT:"
                + socket), STEP).assertExit(0).output();
    }

    @Test
    void aSwitchThatIsNotAllowedStopsTheStartWithAnAlert() throws Exception {
        int port = Ports.free();
        Path cfg = write("global\n    user haproxy\n    group haproxy\n" + http(port));
        readableByAll(cfg);
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups"));
        command.addAll(Sluice.command("balancer", "-f", cfg.toString()));
        ExternalProcess.Result result = ExternalProcess.run("balancer-as-nobody", command, START);
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("[ALERT] " + cfg + ":3: cannot switch to uid " + id("-u", "haproxy")),
                result.output());
        assertTrue(result.output().contains("only root may switch user or group"), result.output());
    }

    @Test
    void quietHidesNoticesButNotWarnings() throws Exception {
        int port = Ports.free();
        // 'daemon' gives a notice, 'chroot' a warning.
        Path cfg = write("global\n    quiet\n    daemon\n    chroot " + dir + "\n" + http(port));
        String checked = ExternalProcess.run("balancer", Sluice.command("balancer", "-c", "-f", cfg.toString()), STEP)
                .assertExit(0).output();
        assertFalse(checked.contains("[NOTICE]"), checked);
        assertTrue(checked.contains("[WARNING] " + cfg + ":4: 'chroot "), checked);
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            assertFalse(balancer.output().contains("[NOTICE]"), balancer.describe());
            assertTrue(balancer.output().contains("[WARNING] " + cfg + ":4: 'chroot "), balancer.describe());
        }
        Files.writeString(cfg, "global\n    daemon\n" + http(port));
        String loud = ExternalProcess.run("balancer", Sluice.command("balancer", "-c", "-f", cfg.toString()), STEP)
                .assertExit(0).output();
        assertTrue(loud.contains("[NOTICE] " + cfg + ":2: 'daemon' accepted"), loud);
    }

    @Test
    void ulimitNSetsTheOpenFileLimitOrStopsTheStart() throws Exception {
        int port = Ports.free();
        Path cfg = write("global\n    ulimit-n 4000\n" + http(port));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START);
            String limits = Files.readString(Path.of("/proc/" + balancer.pid() + "/limits"));
            assertTrue(limits.matches("(?s).*\nMax open files +4000 +4000 +files.*"), limits);
        }
        // Above fs.nr_open: refused even to a privileged process.
        Files.writeString(cfg, "global\n    ulimit-n 2147483647\n" + http(port));
        ExternalProcess.Result result = ExternalProcess.run("balancer",
                Sluice.command("balancer", "-f", cfg.toString()), START);
        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("[ALERT] 'ulimit-n 2147483647': cannot set the open-file limit to "
                + "2147483647"), result.output());
        assertFalse(Ports.accepting("127.0.0.1", port), "nothing may listen after a refused start");
    }

    @Test
    void thePidFileIsWrittenAndRemovedAtACleanStop() throws Exception {
        int port = Ports.free();
        Path fromConfig = dir.resolve("config.pid");
        Path fromFlag = dir.resolve("flag.pid");
        Path cfg = write("global\n    pidfile " + fromConfig + "\n" + http(port));
        try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            assertEquals(balancer.pid() + "\n", Files.readString(fromConfig));
            balancer.signal("TERM");
            assertEquals(0, balancer.awaitExit(STEP), balancer.describe());
            assertFalse(Files.exists(fromConfig), "removed at a clean stop");
        }
        // -p wins over the file's pidfile, as in HAProxy.
        try (ExternalProcess balancer = Sluice.balancer("-p", fromFlag.toString(), "-f", cfg.toString())) {
            balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
            assertEquals(balancer.pid() + "\n", Files.readString(fromFlag));
            assertFalse(Files.exists(fromConfig));
        }
    }

    @Test
    void showInfoGivesNodeDescriptionAndUlimitAsHaproxyDoes() throws Exception {
        String global = "global\n    node edge-7\n    description the edge of town\n    ulimit-n 5000\n"
                + "    stats socket %s\n";
        int theirPort = Ports.free();
        int ourPort = Ports.free();
        Path theirs = dir.resolve("haproxy.cfg");
        Path ours = dir.resolve("sluice.cfg");
        Files.writeString(theirs, global.formatted(dir.resolve("h.sock")) + http(theirPort));
        Files.writeString(ours, global.formatted(dir.resolve("s.sock")) + http(ourPort));
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                     List.of(Sluice.tool("haproxy"), "-db", "-f", theirs.toString()));
             ExternalProcess balancer = Sluice.balancer("-f", ours.toString())) {
            haproxy.awaitListening("127.0.0.1", theirPort, START);
            // The stats socket is bound after the listeners: "ready" comes after both.
            balancer.awaitListening("127.0.0.1", ourPort, START).awaitOutput("ready: pid", START);
            List<String> expected = List.of("Ulimit-n: 5000", "node: edge-7", "description: the edge of town");
            assertEquals(expected, infoLines(dir.resolve("h.sock"), expected));
            assertEquals(expected, infoLines(dir.resolve("s.sock"), expected));
        }
    }

    /** The lines of {@code show info} whose names are those of {@code wanted}, in the order given. */
    private static List<String> infoLines(Path socket, List<String> wanted) {
        String info = showInfo(socket);
        List<String> names = wanted.stream().map(l -> l.substring(0, l.indexOf(':') + 1)).toList();
        return info.lines().filter(l -> names.stream().anyMatch(l::startsWith)).toList();
    }

    /**
     * spread-checks 50 with inter 100ms: a check is scheduled after the previous one ends, so
     * without spreading no two checks are less than 100 ms apart; with it some must be.
     */
    @Test
    void spreadChecksMovesCheckIntervals() throws Exception {
        int port = Ports.free();
        try (ServerSocket checked = new ServerSocket()) {
            checked.bind(new InetSocketAddress("127.0.0.1", 0));
            Path cfg = write("global\n    spread-checks 50\n" + http(port) + """
                        default_backend app
                    backend app
                        server s 127.0.0.1:%d check inter 100ms
                    """.formatted(checked.getLocalPort()));
            try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString())) {
                balancer.awaitListening("127.0.0.1", port, START);
                checked.setSoTimeout(CLOSE_WAIT_MILLIS);
                List<Long> accepted = new ArrayList<>();
                for (int i = 0; i < SPREAD_SAMPLES; i++) {
                    try (Socket probe = checked.accept()) {
                        accepted.add(System.nanoTime());
                    }
                }
                long shortest = Long.MAX_VALUE;
                for (int i = 1; i < accepted.size(); i++) {
                    shortest = Math.min(shortest, (accepted.get(i) - accepted.get(i - 1)) / 1_000_000);
                }
                // Uniform over 50..150 ms: 29 intervals all at 90 ms or more has a chance below 1e-6.
                assertTrue(shortest < 90, "shortest interval between checks: " + shortest + " ms");
            }
        }
    }

    /** A tcp frontend to a server that accepts and never answers: the connection stays busy. */
    private static String heldTcp(int port, int serverPort) {
        return """
                global
                    hard-stop-after %dms
                defaults
                    mode tcp
                    timeout connect 2s
                    timeout client 10m
                    timeout server 10m
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend quiet
                backend quiet
                    server s 127.0.0.1:%d
                """.formatted(HARD_STOP_MILLIS, port, serverPort);
    }

    @Test
    void hardStopAfterClosesWhatAReloadLeftOpen() throws Exception {
        int port = Ports.free();
        try (ServerSocket quiet = new ServerSocket()) {
            quiet.bind(new InetSocketAddress("127.0.0.1", 0));
            Path cfg = write(heldTcp(port, quiet.getLocalPort()));
            try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString());
                 Socket client = new Socket()) {
                balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
                client.connect(new InetSocketAddress("127.0.0.1", port));
                client.getOutputStream().write("hold\n".getBytes());
                balancer.signal("HUP");
                balancer.awaitOutput("reload: done", STEP);
                // Without hard-stop-after it would stay for the built-in 10 minutes.
                awaitClose(client);
                balancer.awaitOutput("closing 1 connection\\(s\\) of the previous configuration still open after "
                        + HARD_STOP_MILLIS + " ms", STEP);
                assertTrue(balancer.alive(), balancer.describe());
            }
        }
    }

    @Test
    void usr1SoftStopsAndHardStopAfterBoundsIt() throws Exception {
        int port = Ports.free();
        try (ServerSocket quiet = new ServerSocket()) {
            quiet.bind(new InetSocketAddress("127.0.0.1", 0));
            Path cfg = write(heldTcp(port, quiet.getLocalPort()));
            try (ExternalProcess balancer = Sluice.balancer("-f", cfg.toString());
                 Socket client = new Socket()) {
                balancer.awaitListening("127.0.0.1", port, START).awaitOutput("ready: pid", START);
                client.connect(new InetSocketAddress("127.0.0.1", port));
                client.getOutputStream().write("hold\n".getBytes());
                balancer.signal("USR1");
                awaitClose(client);
                assertEquals(0, balancer.awaitExit(STEP), balancer.describe());
                assertTrue(balancer.output().contains("stop: closing 1 connection(s) still open after "
                        + HARD_STOP_MILLIS + " ms"), balancer.describe());
            }
        }
    }

    /** Milliseconds until the peer closes {@code client}; fails after {@link #CLOSE_WAIT_MILLIS}. */
    private static long awaitClose(Socket client) throws IOException {
        long start = System.nanoTime();
        client.setSoTimeout(CLOSE_WAIT_MILLIS);
        InputStream in = client.getInputStream();
        try {
            int read = in.read();
            assertEquals(-1, read, "the quiet server sends nothing");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after " + CLOSE_WAIT_MILLIS + " ms", e);
        } catch (java.net.SocketException e) {
            // a reset is a close too
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
