package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.ResponseShape;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's own /etc/haproxy/haproxy.cfg (kept verbatim in {@code debian/haproxy.cfg} of the test
 * resources, from haproxy 2.6.12-1+deb12u4), with a frontend and backends appended on loopback
 * ports, run unchanged by Debian's haproxy and by {@code scripts/balancer}. Only what cannot be
 * shared on a test machine is moved: the two {@code log /dev/log} targets to a UDP syslog
 * receiver per process, the stats socket into a temporary directory, the chroot to an empty
 * temporary directory. Both must pass {@code -c}, start, serve the same responses (an app's and
 * the package's 503 errorfile), run as the {@code haproxy} user and group, log the request after
 * the switch, and answer {@code show info} on the stats socket.
 */
class DebianDefaultConfigIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration TOOL = Duration.ofSeconds(10);
    /** The log lines looked at before giving up on the one of the request (start-up notices come first). */
    private static final int MAX_LOG_LINES = 50;
    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n"
            + "X-App: scripted\r\n\r\nhello\n";

    private static final String APPENDED = """

            frontend fe
            	bind 127.0.0.1:%d
            	use_backend down if { path /down }
            	default_backend app

            backend app
            	server s1 127.0.0.1:%d

            backend down
            """;

    private static Path dir;
    private static ScriptedServer theirApp;
    private static ScriptedServer ourApp;
    private static SyslogReceiver theirLog;
    private static SyslogReceiver ourLog;
    private static ExternalProcess haproxy;
    private static ExternalProcess balancer;
    private static Path theirConfig;
    private static Path ourConfig;
    private static int theirPort;
    private static int ourPort;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("sluice-debian-cfg-");
        String debian = debianConfig();
        theirApp = new ScriptedServer(REPLY);
        ourApp = new ScriptedServer(REPLY);
        theirLog = new SyslogReceiver();
        ourLog = new SyslogReceiver();
        theirPort = Ports.free();
        ourPort = Ports.free();
        theirConfig = config(debian, "haproxy", theirPort, theirApp, theirLog);
        ourConfig = config(debian, "sluice", ourPort, ourApp, ourLog);
        // -db: Debian's file says 'daemon'; the test keeps both in the foreground to stop them by PID.
        haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f", theirConfig.toString()));
        balancer = Sluice.balancer("-db", "-f", ourConfig.toString());
        haproxy.awaitListening("127.0.0.1", theirPort, START);
        // The stats socket is bound after the listeners: "ready" comes after both.
        balancer.awaitListening("127.0.0.1", ourPort, START).awaitOutput("ready: pid", START);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {balancer, haproxy, theirApp, ourApp, theirLog, ourLog}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static String debianConfig() throws IOException {
        try (InputStream in = DebianDefaultConfigIT.class.getResourceAsStream("/debian/haproxy.cfg")) {
            assertNotNull(in, "test resource debian/haproxy.cfg");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Debian's text with the machine-wide paths moved into this test's directory, then our sections. */
    private static Path config(String debian, String name, int port, ScriptedServer app, SyslogReceiver log)
            throws IOException {
        Path jail = Files.createDirectories(dir.resolve(name + "-chroot"));
        String text = replace(debian, "log /dev/log", "log 127.0.0.1:" + log.port());
        text = replace(text, "chroot /var/lib/haproxy", "chroot " + jail);
        text = replace(text, "stats socket /run/haproxy/admin.sock", "stats socket " + socket(name));
        Path file = dir.resolve(name + ".cfg");
        Files.writeString(file, text + APPENDED.formatted(port, app.address().getPort()));
        return file;
    }

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "Debian's haproxy.cfg has no '" + from + "' line any more");
        return text.replace(from, to);
    }

    private static Path socket(String name) {
        return dir.resolve(name + "-admin.sock");
    }

    @Test
    void checkModeAcceptsItInBoth() {
        ExternalProcess.run("haproxy", List.of(Sluice.tool("haproxy"), "-c", "-f", theirConfig.toString()), TOOL)
                .assertExit(0);
        String ours = ExternalProcess.run("balancer", Sluice.command("balancer", "-c", "-f", ourConfig.toString()),
                TOOL).assertExit(0).output();
        assertTrue(ours.contains("Configuration file is valid"), ours);
        // What is not applied is said at its line: chroot (line 4) and the binds' TLS defaults (16-18); ca-base
        // and crt-base (12, 13) are the servers' and kept for them.
        assertTrue(ours.contains("[WARNING] " + ourConfig + ":4: 'chroot "), ours);
        for (int line : new int[] {12, 13}) {
            assertTrue(!ours.contains(ourConfig + ":" + line + ": "), line + ":\n" + ours);
        }
        for (int line : new int[] {16, 17, 18}) {
            assertTrue(ours.contains("[NOTICE] " + ourConfig + ":" + line + ": '"), line + ":\n" + ours);
        }
        assertTrue(!ours.contains("[ALERT]"), ours);
    }

    /** The file as the package installs it, without our sections: its stats socket is its only listener. */
    @Test
    void checkModeAcceptsTheUntouchedFileInBoth() throws IOException {
        Path untouched = Files.writeString(dir.resolve("untouched.cfg"), debianConfig());
        ExternalProcess.run("haproxy", List.of(Sluice.tool("haproxy"), "-c", "-f", untouched.toString()), TOOL)
                .assertExit(0);
        String ours = ExternalProcess.run("balancer", Sluice.command("balancer", "-c", "-f", untouched.toString()),
                TOOL).assertExit(0).output();
        assertTrue(ours.contains("Configuration file is valid") && !ours.contains("[ALERT]"), ours);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/some/page?q=1", "/down"})
    void bothServeTheSameResponse(String path) {
        List<String> theirs = curl(theirPort, path);
        List<String> ours = curl(ourPort, path);
        assertEquals(String.join("\n", theirs), String.join("\n", ours), path);
        assertTrue(theirs.getFirst().contains(path.equals("/down") ? " 503 " : " 200 "), String.join("\n", theirs));
    }

    @Test
    void bothRunAsTheHaproxyUserAndGroup() throws Exception {
        String uid = ExternalProcess.run("id", List.of("id", "-u", "haproxy"), TOOL).assertExit(0).output().trim();
        String gid = ExternalProcess.run("id", List.of("id", "-g", "haproxy"), TOOL).assertExit(0).output().trim();
        for (ExternalProcess process : List.of(haproxy, balancer)) {
            String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
            assertTrue(status.contains("\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"),
                    process.describe() + "\n" + status);
            assertTrue(status.contains("\nGid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid + "\n"),
                    process.describe() + "\n" + status);
            assertTrue(status.contains("\nGroups:\t\n") || status.contains("\nGroups:\t \n"),
                    "supplementary groups dropped: " + status);
        }
    }

    @Test
    void bothLogTheRequestAfterTheSwitch() throws Exception {
        String path = "/logged-" + System.nanoTime();
        curl(theirPort, path);
        curl(ourPort, path);
        for (SyslogReceiver log : List.of(theirLog, ourLog)) {
            String line = awaitLine(log, path);
            assertTrue(line.contains(" fe app/s1 ") && line.contains(" 200 "), line);
        }
    }

    @Test
    void bothStatsSocketsAnswer() {
        for (String name : List.of("haproxy", "sluice")) {
            String info = ExternalProcess.run("socat", List.of("sh", "-c",
                    "echo 'show info' | socat -t 5 - UNIX-CONNECT:" + socket(name)), TOOL).assertExit(0).output();
            assertTrue(info.contains("Pid: "), name + ": " + info);
        }
    }

    private static String awaitLine(SyslogReceiver log, String text) throws InterruptedException {
        for (int i = 0; i < MAX_LOG_LINES; i++) {
            String line = log.next();
            assertNotNull(line, "no log line with " + text);
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no log line with " + text + " among " + MAX_LOG_LINES);
    }

    /** Status line, sorted headers (lower-case names, no date or connection), then the body. */
    private static List<String> curl(int port, String path) {
        String text = ExternalProcess.run("curl", List.of("curl", "-sS", "-i", "--max-time", "5",
                "http://127.0.0.1:" + port + path), TOOL).assertExit(0).output();
        return ResponseShape.of(text);
    }
}
