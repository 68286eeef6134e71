package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same configuration ({@code log 127.0.0.1:PORT local0}, {@code option httplog}) in Debian's
 * HAProxy 2.6 and in our balancer, each logging to a UDP syslog receiver of this test; the same
 * requests to both (200 and 404 from servers, 503 with no server, a server timeout, a client that
 * leaves mid-request, a malformed request); the lines compared field by field, leaving out what
 * differs by nature: times, ports, pids and byte counts (the two write different error pages and
 * header spellings). Request and response header captures are part of the comparison.
 */
class AccessLogIT {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern SYSLOG = Pattern.compile(
            "^<134>[A-Z][a-z]{2} [ 1-3][0-9] \\d\\d:\\d\\d:\\d\\d haproxy\\[\\d+\\]: (.*)\n$", Pattern.DOTALL);
    private static final Pattern HTTPLOG = Pattern.compile("^(\\S+):(\\d+) \\[(\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\] "
            + "(\\S+) (\\S+) (\\S+) (-?\\d+) (\\d+) (\\S+) (\\S+) (\\S{4}) (\\S+) (\\S+) (?:(\\{[^}]*\\}) (\\{[^}]*\\}) )?(\".*\")$");

    @TempDir
    Path dir;

    @Test
    void httplogLinesMatchHaproxyFieldByField() throws Exception {
        try (ScriptedServer ok = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             ScriptedServer missing = new ScriptedServer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
             ScriptedServer silent = new ScriptedServer(null);
             SyslogReceiver theirs = new SyslogReceiver();
             SyslogReceiver ours = new SyslogReceiver()) {
            int haproxyPort = Ports.free();
            int sluicePort = Ports.free();
            Path haproxyCfg = dir.resolve("haproxy.cfg");
            Path sluiceCfg = dir.resolve("sluice.cfg");
            Files.writeString(haproxyCfg, config(theirs.port(), haproxyPort, ok, missing, silent));
            Files.writeString(sluiceCfg, config(ours.port(), sluicePort, ok, missing, silent));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f",
                         haproxyCfg.toString()));
                 ExternalProcess sluice = Sluice.balancer("-f", sluiceCfg.toString())) {
                haproxy.awaitListening("127.0.0.1", haproxyPort, LINE_TIMEOUT);
                sluice.awaitListening("127.0.0.1", sluicePort, Duration.ofSeconds(20));
                // awaitListening's probe is a connection that sends nothing: both log it first.
                assertNotNull(theirs.next(), haproxy.describe());
                assertNotNull(ours.next(), sluice.describe());
                List<String> cases = List.of("200", "404", "503 no server", "504 server timeout",
                        "client left mid-request", "malformed request");
                for (String name : cases) {
                    String expected = exchange(name, haproxyPort, theirs, haproxy);
                    String actual = exchange(name, sluicePort, ours, sluice);
                    compare(name, expected, actual, !name.startsWith("client") && !name.startsWith("malformed"));
                }
            }
        }
    }

    @Test
    void tcplogLinesMatchHaproxyFieldByField() throws Exception {
        try (ScriptedServer ok = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             SyslogReceiver theirs = new SyslogReceiver();
             SyslogReceiver ours = new SyslogReceiver()) {
            int haproxyPort = Ports.free();
            int sluicePort = Ports.free();
            Path haproxyCfg = dir.resolve("haproxy-tcp.cfg");
            Path sluiceCfg = dir.resolve("sluice-tcp.cfg");
            Files.writeString(haproxyCfg, tcpConfig(theirs.port(), haproxyPort, ok));
            Files.writeString(sluiceCfg, tcpConfig(ours.port(), sluicePort, ok));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f",
                         haproxyCfg.toString()));
                 ExternalProcess sluice = Sluice.balancer("-f", sluiceCfg.toString())) {
                haproxy.awaitListening("127.0.0.1", haproxyPort, LINE_TIMEOUT);
                sluice.awaitListening("127.0.0.1", sluicePort, Duration.ofSeconds(20));
                // awaitListening's probe is a connection that sends nothing: both log it first.
                assertNotNull(theirs.next(), haproxy.describe());
                assertNotNull(ours.next(), sluice.describe());
                send(haproxyPort, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", true);
                String expected = theirs.next();
                send(sluicePort, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", true);
                String actual = ours.next();
                assertNotNull(expected, haproxy.describe());
                assertNotNull(actual, sluice.describe());
                Matcher t = SYSLOG.matcher(expected);
                Matcher o = SYSLOG.matcher(actual);
                assertTrue(t.matches() && o.matches(), expected + actual);
                // %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq, less port, date and times.
                String[] tf = t.group(1).split(" ");
                String[] of = o.group(1).split(" ");
                String both = "\n haproxy: " + t.group(1) + "\n ours:    " + o.group(1);
                assertEquals(tf.length, of.length, both);
                assertEquals(tf[0].split(":")[0], of[0].split(":")[0], both);
                for (int i : new int[] {2, 3, 5, 6, 7, 8}) {
                    assertEquals(tf[i], of[i], "field " + i + both);
                }
                assertTrue(Long.parseLong(of[5]) > 0, "the answer's bytes are counted" + both);
                assertEquals(timerShape(tf[4]), timerShape(of[4]), both);
            }
        }
    }

    @Test
    void stdoutRawAndASyslogTargetWithLogTagGetTheSameLine() throws Exception {
        try (ScriptedServer ok = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             SyslogReceiver syslog = new SyslogReceiver()) {
            int port = Ports.free();
            Path cfg = dir.resolve("stdout.cfg");
            Files.writeString(cfg, """
                    global
                        log-tag edge
                    defaults
                        mode http
                        log stdout format raw local0
                        log 127.0.0.1:%d len 120 local0
                        option httplog
                        option dontlognull
                        timeout connect 1s
                        timeout client 2s
                        timeout server 1s
                    frontend fe
                        bind 127.0.0.1:%d
                        default_backend be
                    backend be
                        server s1 127.0.0.1:%d
                    """.formatted(syslog.port(), port, ok.address().getPort()));
            try (ExternalProcess sluice = Sluice.balancer("-f", cfg.toString())) {
                // dontlognull: the readiness probe below sends nothing and leaves no line.
                sluice.awaitListening("127.0.0.1", port, Duration.ofSeconds(20));
                send(port, "GET /stdout-check HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", true);
                String datagram = syslog.next();
                assertNotNull(datagram, sluice.describe());
                assertTrue(datagram.matches("(?s)<134>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d edge\\[\\d+\\]: .*\n"), datagram);
                String line = datagram.substring(datagram.indexOf("]: ") + 3, datagram.length() - 1);
                assertTrue(line.startsWith("127.0.0.1:") && line.contains(" fe be/s1 "), line);
                // The whole line (header included) is cut at len 120, then ends with its newline.
                assertEquals(121, datagram.length(), datagram);
                sluice.awaitOutput("(?m)^127\\.0\\.0\\.1:\\d+ \\[[^]]+\\] fe be/s1 \\S+ 200 \\d+ - - ---- .*"
                        + "\"GET /stdout-check HTTP/1\\.1\"$", LINE_TIMEOUT);
            }
        }
    }

    private static String tcpConfig(int logPort, int port, ScriptedServer server) {
        return """
                global
                    log 127.0.0.1:%d local0
                defaults
                    mode tcp
                    log global
                    option tcplog
                    timeout connect 1s
                    timeout client 2s
                    timeout server 2s
                frontend ft
                    bind 127.0.0.1:%d
                    default_backend bt
                backend bt
                    server s1 127.0.0.1:%d
                """.formatted(logPort, port, server.address().getPort());
    }

    private static String exchange(String name, int port, SyslogReceiver receiver, ExternalProcess process) throws Exception {
        switch (name) {
            case "200" -> send(port, "GET / HTTP/1.1\r\nHost: example.org\r\nX-Trace: a|b{c}\r\nConnection: close\r\n\r\n", true);
            case "404" -> send(port, "GET /missing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", true);
            case "503 no server" -> send(port, "GET /none HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", true);
            case "504 server timeout" -> send(port, "GET /slow HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", true);
            case "client left mid-request" -> send(port, "GET /part HTTP/1.1\r\nHost: a\r\n", false);
            case "malformed request" -> send(port, "BROKEN\r\n\r\n", true);
            default -> throw new IllegalArgumentException(name);
        }
        String datagram = receiver.next();
        assertNotNull(datagram, name + ": no log line within " + LINE_TIMEOUT + "\n" + process.describe());
        return datagram;
    }

    /** Sends {@code request}; reads the answer until the peer closes when {@code await}, else leaves at once. */
    private static void send(int port, String request, boolean await) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) LINE_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (await) {
                // Both close after the answer (Connection: close, or an error); a half-close from
                // here would be read differently (HAProxy waits, we take it as the client leaving).
                try {
                    socket.getInputStream().readAllBytes();
                } catch (SocketException e) {
                    // A reset after the answer is an answer too.
                }
            }
        }
    }

    private static void compare(String name, String theirs, String ours, boolean countersToo) {
        Matcher t = SYSLOG.matcher(theirs);
        Matcher o = SYSLOG.matcher(ours);
        assertTrue(t.matches(), name + ": haproxy's datagram " + theirs);
        assertTrue(o.matches(), name + ": our datagram is not HAProxy's RFC 3164 form: " + ours);
        Matcher tl = HTTPLOG.matcher(t.group(1));
        Matcher ol = HTTPLOG.matcher(o.group(1));
        assertTrue(tl.matches(), name + ": haproxy's line " + t.group(1));
        assertTrue(ol.matches(), name + ": our line is not an httplog line: " + o.group(1));
        String both = "\n haproxy: " + t.group(1) + "\n ours:    " + o.group(1);
        assertEquals(tl.group(1), ol.group(1), name + ": client address" + both);
        assertEquals(tl.group(4), ol.group(4), name + ": frontend" + both);
        assertEquals(tl.group(5), ol.group(5), name + ": backend/server" + both);
        assertEquals(timerShape(tl.group(6)), timerShape(ol.group(6)), name + ": timers reached" + both);
        assertEquals(tl.group(7), ol.group(7), name + ": status" + both);
        assertEquals(tl.group(9), ol.group(9), name + ": captured request cookie" + both);
        assertEquals(tl.group(10), ol.group(10), name + ": captured response cookie" + both);
        assertEquals(tl.group(11), ol.group(11), name + ": termination state" + both);
        if (countersToo) {
            // Connection counts move with the timing of closes when the client leaves or is refused.
            assertEquals(tl.group(12), ol.group(12), name + ": ac/fc/bc/sc/rc" + both);
        }
        assertEquals(tl.group(13), ol.group(13), name + ": queues" + both);
        assertEquals(String.valueOf(tl.group(14)), String.valueOf(ol.group(14)), name + ": captured request headers" + both);
        assertEquals(String.valueOf(tl.group(15)), String.valueOf(ol.group(15)), name + ": captured response headers" + both);
        assertEquals(tl.group(16), ol.group(16), name + ": request line" + both);
    }

    /** Which of TR/Tw/Tc/Tr/Ta were reached (-1 or not): the times themselves differ. */
    private static String timerShape(String timers) {
        StringBuilder shape = new StringBuilder();
        for (String timer : timers.split("/")) {
            shape.append(timer.equals("-1") ? "-" : "t");
        }
        return shape.toString();
    }

    private static String config(int logPort, int port, ScriptedServer ok, ScriptedServer missing, ScriptedServer silent) {
        return """
                global
                    log 127.0.0.1:%d local0
                defaults
                    mode http
                    log global
                    option httplog
                    timeout connect 1s
                    timeout client 2s
                    timeout server 1s
                frontend fe
                    bind 127.0.0.1:%d
                    capture request header Host len 8
                    capture request header X-Trace len 16
                    capture response header Content-Length len 4
                    use_backend b404 if { path_beg /missing }
                    use_backend bnone if { path_beg /none }
                    use_backend bslow if { path_beg /slow }
                    default_backend b200
                backend b200
                    server s1 127.0.0.1:%d
                backend b404
                    server s2 127.0.0.1:%d
                backend bnone
                backend bslow
                    server s3 127.0.0.1:%d
                """.formatted(logPort, port, ok.address().getPort(), missing.address().getPort(),
                silent.address().getPort());
    }
}
