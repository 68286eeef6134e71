package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access-log settings beyond the line, in Debian's HAProxy 2.6 and in our balancer, each
 * logging to a UDP syslog receiver of this test, the same connections sent to both in the same
 * order: {@code unique-id-format} with {@code %rt} (in the line, in {@code %[unique-id]} of a rule,
 * in {@code unique-id-header} as the server got it), {@code log-format-sd} in RFC 5424 lines,
 * {@code error-log-format} for requests never parsed and PROXY header errors, HAProxy's short
 * error line without it, {@code option dontlog-normal} (which lines are left out),
 * {@code option log-separate-errors} (their level) and {@code option logasap} (its {@code +}
 * markers, in mode http and tcp). Lines are compared whole after masking only what differs by
 * nature: dates, the client's ports, timers and byte counts (their shape and markers kept), and
 * inside unique ids the port, timestamp and pid.
 */
class AccessLogExtrasIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);
    private static final String HTTP = " HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n";
    /** The classic id of HAProxy's manual: addresses, ports, timestamp, request counter and pid in hex. */
    private static final Pattern UNIQUE_ID = Pattern.compile(
            "7F000001:[0-9A-F]{4}_7F000001:[0-9A-F]{4}_[0-9A-F]{8}_([0-9A-F]{4,}):[0-9A-F]{4,}");

    @TempDir
    Path dir;

    @Test
    void uniqueIdsCountersAndStructuredDataMatchHaproxy() throws Exception {
        String template = """
                global
                    log 127.0.0.1:%1$d format rfc5424 local0
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 2s
                    timeout server 2s
                    timeout http-request 300ms
                frontend fe
                    bind 127.0.0.1:%2$d
                    log global
                    unique-id-format %%{+X}o\\ %%ci:%%cp_%%fi:%%fp_%%Ts_%%rt:%%pid
                    unique-id-header X-Unique-ID
                    http-request set-header X-Req-ID %%[unique-id]
                    http-request deny if { path /deny }
                    log-format "%%rt %%{+X}rt %%ID %%ST %%b/%%s %%{+Q}r"
                    log-format-sd "[exampleSDID@1234 status=\\"%%ST\\" rt=\\"%%rt\\"]"
                    default_backend be
                frontend plain
                    bind 127.0.0.1:%3$d
                    log global
                    option httplog
                    # Its startup probe then takes no number of HAProxy's counter, which counts the
                    # lines of every frontend (ours counts those of frontends showing %%rt only).
                    option dontlognull
                    default_backend be
                frontend nolog
                    bind 127.0.0.1:%4$d
                    unique-id-format %%ci-%%HM
                    unique-id-header X-Unique-ID
                    default_backend be
                backend be
                    server s1 127.0.0.1:%5$d
                """;
        try (Pair pair = new Pair(dir, template, 3)) {
            for (String request : List.of("GET /a" + HTTP, "GET /b?x=1" + HTTP, "GET /deny" + HTTP, "BROKEN\r\n\r\n",
                    "GET /c" + HTTP)) {
                List<String> lines = pair.both(request, 0);
                assertEquals(rfc5424(lines.get(0)), rfc5424(lines.get(1)), request + pair.both(lines));
            }
            // Without log-format-sd, the SD field is the nil value.
            List<String> plain = pair.both("GET /d" + HTTP, 1);
            assertEquals(rfc5424(plain.get(0)), rfc5424(plain.get(1)), pair.both(plain));
            assertTrue(rfc5424(plain.get(1)).startsWith("<134>1 - haproxy - - "), plain.get(1));
            // A frontend that does not log still makes and sends ids.
            pair.sendBoth("GET /e" + HTTP, 2);
            // Each server got the id of the line, as the rule's header and as unique-id-header.
            for (int side = 0; side < 2; side++) {
                List<String> heads = pair.servers[side].heads();
                assertEquals(5, heads.size(), heads.toString());
                assertEquals("127.0.0.1-GET", header(heads.get(4), "x-unique-id"), heads.get(4));
                for (String head : heads.subList(0, 3)) {
                    String set = header(head, "x-req-id");
                    assertTrue(UNIQUE_ID.matcher(set).matches(), head);
                    assertEquals(set, header(head, "x-unique-id"), head);
                    assertTrue(head.toLowerCase(Locale.ROOT).indexOf("x-req-id") < head.toLowerCase(Locale.ROOT)
                            .indexOf("x-unique-id"), "the rule's header first, then unique-id-header: " + head);
                }
            }
        }
    }

    @Test
    void errorLinesDontlogNormalSeparateErrorsAndLogasapMatchHaproxy() throws Exception {
        String template = """
                global
                    log 127.0.0.1:%1$d local0
                defaults
                    mode http
                    log global
                    timeout connect 1s
                    timeout client 2s
                    timeout server 2s
                    timeout http-request 300ms
                frontend fe
                    bind 127.0.0.1:%2$d
                    bind 127.0.0.1:%3$d accept-proxy name pp
                    option dontlog-normal
                    option log-separate-errors
                    log-format "FE %%ci:%%cp %%ST B=%%B %%ts %%b/%%s %%{+Q}r"
                    error-log-format "ERR %%ci %%{+Q}ft %%f %%b %%s %%ts %%ST B=%%B U=%%U %%ac/%%fc"
                    http-request return status 200 content-type text/plain string ok if { path /ret }
                    use_backend bnone if { path /none }
                    default_backend be
                frontend short
                    bind 127.0.0.1:%4$d
                    bind 127.0.0.1:%5$d accept-proxy
                    option httplog
                    default_backend be
                frontend asap
                    bind 127.0.0.1:%6$d
                    option logasap
                    option httplog
                    use_backend bnone if { path /none }
                    default_backend be
                frontend tcpasap
                    bind 127.0.0.1:%7$d
                    mode tcp
                    option logasap
                    option tcplog
                    default_backend bt
                frontend tcpproxy
                    bind 127.0.0.1:%8$d accept-proxy
                    mode tcp
                    option tcplog
                    default_backend bt
                backend be
                    server s1 127.0.0.1:%9$d
                backend bnone
                backend bt
                    mode tcp
                    server s1 127.0.0.1:%9$d
                """;
        try (Pair pair = new Pair(dir, template, 7)) {
            // Normal exchanges are left out: the next line is the 503's, at err (<131>).
            pair.sendBoth("GET /a" + HTTP, 0);
            pair.sendBoth("GET /ret" + HTTP, 0);
            compare(pair.both("GET /none" + HTTP, 0), "<131>");
            // A request never parsed and a connection that sent nothing: error-log-format, at err.
            compare(pair.both("BROKEN\r\n\r\n", 0), "<131>");
            compare(pair.both("", 0), "<131>");
            // PROXY header errors on the named bind: error-log-format too.
            compare(pair.both("GARBAGE GARBAGE GARBAGE GARBAGE\r\n\r\n", 1), "<131>");
            compare(pair.both("PROXY TCP4 1.2.3.4\r\n\r\n\r\n\r\n\r\n\r\n", 1), "<131>");
            compare(pair.both("", 1), "<131>");
            // Without error-log-format: HAProxy's short line, the bind numbered; the 200 at info.
            compare(pair.both("PROXY TCP4 1.2.3.4\r\n\r\n\r\n\r\n\r\n\r\n", 3), "<134>");
            compare(pair.both("GET /a" + HTTP, 2), "<134>");
            // logasap: + before Ta and the bytes, whether logged at the response head or at the end.
            compare(pair.both("GET /a" + HTTP, 4), "<134>");
            compare(pair.both("GET /none" + HTTP, 4), "<134>");
            compare(pair.both("GET /a" + HTTP, 5), "<134>");
            // In mode tcp, a refused PROXY header is the connection's only line.
            compare(pair.both("GARBAGE GARBAGE GARBAGE GARBAGE\r\n\r\n", 6), "<134>");
            compare(pair.both("GET /a" + HTTP, 2), "<134>");
        }
    }

    @Test
    void dontlognullLeavesOutWhatHaproxyCallsNullConnections() throws Exception {
        String template = """
                global
                    log 127.0.0.1:%1$d local0
                defaults
                    mode http
                    log global
                    timeout connect 1s
                    timeout client 1s
                    timeout server 2s
                    timeout http-request 300ms
                frontend fe
                    bind 127.0.0.1:%2$d
                    bind 127.0.0.1:%3$d accept-proxy
                    option dontlognull
                    option httplog
                    default_backend be
                backend be
                    server s1 127.0.0.1:%4$d
                """;
        String header = "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n";
        try (Pair pair = new Pair(dir, template, 2)) {
            // Null connections: nothing, nothing until the request timeout, a PROXY header and
            // nothing (closed, or until the timeout), no PROXY header at all until its timeout.
            pair.sendBoth("", 0);
            pair.sendBoth(Duration.ofMillis(600), "", 0);
            pair.sendBoth("", 1);
            pair.sendBoth(header, 1);
            pair.sendBoth(Duration.ofMillis(600), header, 1);
            pair.sendBoth(Duration.ofMillis(1_500), "", 1);
            // Then the first lines: a request cut by its timeout, a PROXY header refused.
            compare(pair.both(Duration.ofMillis(600), "GET / HTTP/1.1\r\n", 0), "<134>");
            compare(pair.both("GARBAGE GARBAGE GARBAGE GARBAGE\r\n\r\n", 1), "<134>");
        }
    }

    @Test
    void healthCheckAndServerStateLinesGoToTheBackendsLogAsHaproxySendsThem() throws Exception {
        int checked = Ports.free();
        int quiet = Ports.free();
        String template = """
                global
                    log 127.0.0.1:%1$d local0
                defaults
                    mode http
                    timeout connect 1s
                    timeout client 2s
                    timeout server 2s
                frontend fe
                    bind 127.0.0.1:%2$d
                    default_backend be
                backend be
                    log global
                    option log-health-checks
                    server s1 127.0.0.1:CHECKED check inter 200ms rise 2 fall 2
                backend quiet
                    log global
                    server q1 127.0.0.1:QUIET check inter 200ms rise 2 fall 2
                backend unused
                    server u1 127.0.0.1:%3$d
                """.replace("CHECKED", Integer.toString(checked)).replace("QUIET", Integer.toString(quiet));
        List<List<String>> lines = List.of(new ArrayList<>(), new ArrayList<>());
        try (Pair pair = new Pair(dir, template, 1, false)) {
            // Both servers are down at first, then up for a while, then down again.
            collect(pair, lines, Duration.ofMillis(1_200));
            try (java.net.ServerSocket a = new java.net.ServerSocket(checked, 50, InetAddress.getLoopbackAddress());
                 java.net.ServerSocket b = new java.net.ServerSocket(quiet, 50, InetAddress.getLoopbackAddress())) {
                collect(pair, lines, Duration.ofMillis(1_500));
            }
            collect(pair, lines, Duration.ofMillis(1_500));
        }
        for (String backend : List.of("be", "quiet")) {
            List<String> theirs = about(backend, lines.get(0));
            List<String> ours = about(backend, lines.get(1));
            assertTrue(theirs.size() >= 5, "down, up and down again: haproxy's " + backend + " lines: " + theirs);
            assertEquals(theirs, ours, backend);
        }
    }

    /** Every datagram of both sides after {@code span}, masked (the priority kept), in arrival order. */
    private static void collect(Pair pair, List<List<String>> lines, Duration span) throws InterruptedException {
        Thread.sleep(span.toMillis());
        for (int side = 0; side < 2; side++) {
            String line;
            while ((line = pair.receivers[side].next(Duration.ofMillis(50))) != null) {
                {
                    lines.get(side).add(line.substring(0, line.indexOf('>') + 1) + " "
                            + message(line).replaceAll("check duration: \\d+ms", "check duration: Nms"));
                }
            }
        }
    }

    /** The lines about one backend and its server. */
    private static List<String> about(String backend, List<String> lines) {
        return lines.stream().filter(l -> l.contains(" " + backend + "/") || l.contains("backend " + backend + " "))
                .toList();
    }

    /** Both lines, their messages masked, must be equal, and at the given priority. */
    private static void compare(List<String> lines, String priority) {
        String theirs = lines.get(0);
        String ours = lines.get(1);
        String both = "\n haproxy: " + theirs + "\n ours:    " + ours;
        assertTrue(theirs.startsWith(priority), "haproxy's priority" + both);
        assertEquals(mask(message(theirs)), mask(message(ours)), both);
        assertTrue(ours.startsWith(priority), "our priority" + both);
    }

    /** {@code <134>1 DATE HOST TAG PID MSGID SD MSG}: all but the date and pid, the message masked. */
    private static String rfc5424(String datagram) {
        String[] parts = datagram.split(" ", 7);
        assertEquals(7, parts.length, datagram);
        assertTrue(parts[1].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+[+-]\\d\\d:\\d\\d"), datagram);
        // The SD field: structured data, else "-" when a line has none (after it, the message).
        String rest = parts[6];
        String sd = rest.startsWith("[") ? rest.substring(0, rest.indexOf("] ") + 1) : "-";
        String message = rest.substring(sd.length() + 1);
        return String.join(" ", parts[0], parts[2], parts[3], parts[5], sd, mask(message));
    }

    /** The message of an RFC 3164 datagram {@code <pri>Mon dd hh:mm:ss haproxy[pid]: MSG\n}. */
    private static String message(String datagram) {
        assertTrue(datagram.endsWith("\n") && datagram.contains("]: "), datagram);
        return datagram.substring(datagram.indexOf("]: ") + 3, datagram.length() - 1);
    }

    /** Dates, ports, timers and byte counts by shape; unique ids less their port, time and pid. */
    private static String mask(String message) {
        String masked = UNIQUE_ID.matcher(message).replaceAll(m -> "ID(rt=" + m.group(1) + ")");
        masked = masked.replaceAll("\\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}]", "[DATE]");
        masked = masked.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
        masked = masked.replaceAll("\\b([BU])=(\\+?)\\d+", "$1=$2N");
        // httplog: TR/Tw/Tc/Tr/Ta STATUS BYTES; tcplog: Tw/Tc/Tt BYTES.
        masked = replace(masked, Pattern.compile("(?<= )(-?\\d+(?:/-?\\+?\\d+){4}) (\\d{3}) (\\+?)\\d+ "),
                m -> timers(m.group(1)) + " " + m.group(2) + " " + m.group(3) + "N ");
        masked = replace(masked, Pattern.compile("(?<= )(-?\\d+/-?\\d+/\\+?-?\\d+) (\\+?)\\d+ (?=\\S\\S )"),
                m -> timers(m.group(1)) + " " + m.group(2) + "N ");
        return masked;
    }

    private static String timers(String timers) {
        List<String> shapes = new ArrayList<>();
        for (String t : timers.split("/")) {
            shapes.add(t.equals("-1") ? "-1" : t.startsWith("+") ? "+t" : "t");
        }
        return String.join("/", shapes);
    }

    private static String replace(String text, Pattern pattern, java.util.function.Function<java.util.regex.MatchResult, String> with) {
        return pattern.matcher(text).replaceAll(m -> Matcher.quoteReplacement(with.apply(m)));
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " in " + head);
    }

    /**
     * HAProxy and our balancer from one template ({@code %1$d} the syslog port, then the listening
     * ports, then the server's), each with its own server and syslog receiver, started and their
     * startup probe's line read.
     */
    private static final class Pair implements AutoCloseable {
        final ScriptedServer[] servers = new ScriptedServer[2];
        final SyslogReceiver[] receivers = new SyslogReceiver[2];
        final int[][] ports;
        final ExternalProcess haproxy;
        final ExternalProcess sluice;

        Pair(Path dir, String template, int listeners) throws Exception {
            this(dir, template, listeners, true);
        }

        /** @param drain whether to read the startup probes' lines away (false: the caller reads every line) */
        Pair(Path dir, String template, int listeners, boolean drain) throws Exception {
            ports = new int[2][listeners];
            List<ExternalProcess> started = new ArrayList<>();
            try {
                for (int side = 0; side < 2; side++) {
                    servers[side] = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    receivers[side] = new SyslogReceiver();
                    Object[] args = new Object[listeners + 2];
                    args[0] = receivers[side].port();
                    for (int i = 0; i < listeners; i++) {
                        ports[side][i] = Ports.free();
                        args[i + 1] = ports[side][i];
                    }
                    args[listeners + 1] = servers[side].address().getPort();
                    Files.writeString(dir.resolve(side + ".cfg"), template.formatted(args));
                }
                haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f",
                        dir.resolve("0.cfg").toString()));
                started.add(haproxy);
                sluice = Sluice.balancer("-f", dir.resolve("1.cfg").toString());
                started.add(sluice);
                IntFunction<ExternalProcess> process = side -> side == 0 ? haproxy : sluice;
                for (int side = 0; side < 2; side++) {
                    // Every listener bound; the probe of the first is logged by both (a connection error).
                    for (int i = listeners - 1; i >= 0; i--) {
                        process.apply(side).awaitListening("127.0.0.1", ports[side][i], START_TIMEOUT);
                    }
                }
                // One probe per listener; the first listener of each template logs its probe, the others
                // are PROXY binds (their probe's line is an error line too) or log it: drain by count.
                if (drain) {
                    drainProbes(listeners);
                }
            } catch (Exception | AssertionError e) {
                for (ExternalProcess p : started) {
                    p.close();
                }
                closeRest();
                throw e;
            }
        }

        /** awaitListening's probes: a connection each that sends nothing; both sides log the same number. */
        private void drainProbes(int listeners) throws InterruptedException {
            for (int side = 0; side < 2; side++) {
                while (receivers[side].next(Duration.ofMillis(700)) != null) {
                    // every probe line, as many as this side writes
                }
            }
        }

        /** Sends {@code request} on listener {@code index} of each side; returns {haproxy's line, ours}. */
        List<String> both(String request, int index) throws Exception {
            return both(Duration.ZERO, request, index);
        }

        /** As {@link #both(String, int)}, the connection held open {@code hold} after the request. */
        List<String> both(Duration hold, String request, int index) throws Exception {
            List<String> lines = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                send(ports[side][index], request, hold);
                String line = receivers[side].next();
                assertNotNull(line, (side == 0 ? "no line from haproxy " : "no line from us ") + "for " + request
                        + "\n" + (side == 0 ? haproxy : sluice).describe());
                lines.add(line);
            }
            return lines;
        }

        /** Sends {@code request} to both sides, a request neither logs (the next line must be the next case's). */
        void sendBoth(String request, int index) throws IOException {
            sendBoth(Duration.ZERO, request, index);
        }

        void sendBoth(Duration hold, String request, int index) throws IOException {
            for (int side = 0; side < 2; side++) {
                send(ports[side][index], request, hold);
            }
        }

        String both(List<String> lines) {
            return "\n haproxy: " + lines.get(0) + "\n ours:    " + lines.get(1);
        }

        @Override
        public void close() throws Exception {
            try {
                sluice.close();
            } finally {
                haproxy.close();
                closeRest();
            }
        }

        private void closeRest() throws InterruptedException {
            for (int side = 0; side < 2; side++) {
                if (servers[side] != null) {
                    servers[side].close();
                }
                if (receivers[side] != null) {
                    receivers[side].close();
                }
            }
        }
    }

    /**
     * Sends {@code request} and reads until the peer closes; with a {@code hold}, the connection
     * stays open that long at most (the peer's timeout closes it first); without, sending nothing
     * closes it at once.
     */
    private static void send(int port, String request, Duration hold) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) IO_TIMEOUT.toMillis());
            socket.setSoTimeout((int) (hold.isZero() ? IO_TIMEOUT : hold).toMillis());
            OutputStream out = socket.getOutputStream();
            if (request.isEmpty() && hold.isZero()) {
                return;
            }
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                socket.getInputStream().readAllBytes();
            } catch (SocketException | java.net.SocketTimeoutException e) {
                // A reset after the answer is an answer too; a held connection ends here at the latest.
            }
        }
    }
}
