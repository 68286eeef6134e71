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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One custom {@code log-format} (quoted fields, captured headers, samples, every timer, request
 * parts, hexadecimal, escaping) in Debian's HAProxy 2.6 and in our balancer, both logging to UDP
 * syslog receivers of this test; the same requests to both: proxied, denied, tarpitted, returned,
 * redirected, no server, the stats page, the Prometheus exporter, a malformed request, a request
 * that never ends (408); and in mode tcp a relayed session and one without a server. The lines are
 * compared field by field: exactly, except the client and frontend ports, the dates, byte counts
 * and times (by shape).
 *
 * <p>HAProxy 2.6 refuses fetches of request headers in log-format ({@code %[req.hdr(host)]}: "not
 * available here"), so the header shows up through captures ({@code %hr}, {@code %hrl}) here;
 * LineFormatTest covers our {@code %[req.hdr(…)]}.
 */
class AccessLogFormatIT {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(5);
    private static final String FORMAT = "%{+Q}o %ci %{-Q}cp [%tr] %f %b %s %TR/%Tw/%Tc/%Tr/%Ta/%Tt %ST %B %U %tsc "
            + "%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hrl %CC %ID %HM %HP %HPO %HQ %HU %HV %r %{+E}HU %[src] %fi %si:%sp "
            + "%{+X}ci %bi %lc %ts %[dst_port] %Th %Ti %Tq %Td %Tu";
    /** The same fields less HTTP's, which HAProxy refuses in mode tcp; ends with the same tail. */
    private static final String TCP_FORMAT = "%{+Q}o %ci %{-Q}cp [%t] %f %b %s %Tw/%Tc/%Tt %B %U %ts "
            + "%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %ID %ST %[src] %fi %si:%sp %{+X}ci %bi %lc %ts %[dst_port] %Th %Tw %Tc "
            + "%Td %Tt";
    /** Fields compared by shape, counted from the start of the line. */
    private static final Map<Integer, String> HEAD_SHAPES = Map.of(1, "port", 2, "date", 6, "timers", 8, "bytes",
            9, "bytes");
    /** Fields compared by shape, counted from the end: the five timers, then the frontend port. */
    private static final int TAIL_TIMERS = 5;
    private static final String HTTP_HEAD = " HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n";

    @TempDir
    Path dir;

    @Test
    void customLogFormatLinesMatchHaproxyFieldByField() throws Exception {
        try (ScriptedServer ok = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
             SyslogReceiver theirs = new SyslogReceiver();
             SyslogReceiver ours = new SyslogReceiver()) {
            int haproxyPort = Ports.free();
            int sluicePort = Ports.free();
            Path haproxyCfg = dir.resolve("haproxy.cfg");
            Path sluiceCfg = dir.resolve("sluice.cfg");
            Files.writeString(haproxyCfg, config(theirs.port(), haproxyPort, ok));
            Files.writeString(sluiceCfg, config(ours.port(), sluicePort, ok));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f",
                         haproxyCfg.toString()));
                 ExternalProcess sluice = Sluice.balancer("-f", sluiceCfg.toString())) {
                haproxy.awaitListening("127.0.0.1", haproxyPort, LINE_TIMEOUT);
                sluice.awaitListening("127.0.0.1", sluicePort, Duration.ofSeconds(20));
                // awaitListening's probe is a connection that sends nothing: both log it first.
                assertNotNull(theirs.next(), haproxy.describe());
                assertNotNull(ours.next(), sluice.describe());
                Map<String, String> cases = new LinkedHashMap<>();
                cases.put("proxied", "GET /x?y=1" + HTTP_HEAD + "X-Trace: a\"b|c]\r\n\r\n");
                cases.put("deny", "GET /deny" + HTTP_HEAD + "\r\n");
                cases.put("tarpit", "GET /tarpit" + HTTP_HEAD + "\r\n");
                cases.put("return", "GET /ret" + HTTP_HEAD + "\r\n");
                cases.put("redirect", "GET /redir?q" + HTTP_HEAD + "\r\n");
                cases.put("no server", "GET /none" + HTTP_HEAD + "\r\n");
                cases.put("stats page", "GET /stats" + HTTP_HEAD + "\r\n");
                cases.put("exporter", "GET /metrics" + HTTP_HEAD + "\r\n");
                cases.put("malformed", "BROKEN\r\n\r\n");
                cases.put("request timeout", "GET /slow HTTP/1.1\r\nHost: example.org\r\n");
                for (Map.Entry<String, String> c : cases.entrySet()) {
                    send(haproxyPort, c.getValue());
                    String expected = theirs.next();
                    send(sluicePort, c.getValue());
                    String actual = ours.next();
                    assertNotNull(expected, c.getKey() + ": no line from haproxy\n" + haproxy.describe());
                    assertNotNull(actual, c.getKey() + ": no line from us\n" + sluice.describe());
                    compare(c.getKey(), message(expected), message(actual));
                }
            }
        }
    }

    @Test
    void tcpSessionLinesMatchHaproxyFieldByField() throws Exception {
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
                assertNotNull(theirs.next(), haproxy.describe());
                assertNotNull(ours.next(), sluice.describe());
                // A relayed session, then one from 127.0.0.2, sent to a backend without servers.
                String request = "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
                for (String from : List.of("127.0.0.1", "127.0.0.2")) {
                    String name = "from " + from;
                    send(from, haproxyPort, request);
                    String expected = theirs.next();
                    send(from, sluicePort, request);
                    String actual = ours.next();
                    assertNotNull(expected, name + ": no line from haproxy\n" + haproxy.describe());
                    assertNotNull(actual, name + ": no line from us\n" + sluice.describe());
                    compare(name, message(expected), message(actual));
                }
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
                    log-format "%s"
                    timeout connect 1s
                    timeout client 2s
                    timeout server 2s
                frontend ft
                    bind 127.0.0.1:%d
                    use_backend bnone if { src 127.0.0.2 }
                    default_backend bt
                backend bt
                    server s1 127.0.0.1:%d
                backend bnone
                """.formatted(logPort, TCP_FORMAT, port, server.address().getPort());
    }

    private static String config(int logPort, int port, ScriptedServer server) {
        return """
                global
                    log 127.0.0.1:%d local0
                defaults
                    mode http
                    log global
                    log-format "%s"
                    timeout connect 1s
                    timeout client 2s
                    timeout server 2s
                    timeout http-request 300ms
                frontend fe
                    bind 127.0.0.1:%d
                    capture request header Host len 12
                    capture request header X-Trace len 16
                    stats enable
                    stats uri /stats
                    timeout tarpit 100ms
                    http-request deny if { path /deny }
                    http-request tarpit if { path /tarpit }
                    http-request use-service prometheus-exporter if { path /metrics }
                    http-request return status 200 content-type text/plain string ok if { path /ret }
                    http-request redirect location /elsewhere if { path /redir }
                    use_backend bnone if { path_beg /none }
                    default_backend be
                backend be
                    server s1 127.0.0.1:%d
                backend bnone
                """.formatted(logPort, FORMAT.replace("\"", "\\\""), port, server.address().getPort());
    }

    /** The line inside an RFC 3164 datagram {@code <134>Mon dd hh:mm:ss haproxy[pid]: LINE\n}. */
    private static String message(String datagram) {
        assertTrue(datagram.startsWith("<134>") && datagram.endsWith("\n") && datagram.contains("]: "), datagram);
        return datagram.substring(datagram.indexOf("]: ") + 3, datagram.length() - 1);
    }

    private static void compare(String name, String theirs, String ours) {
        List<String> t = fields(theirs);
        List<String> o = fields(ours);
        String both = "\n haproxy: " + theirs + "\n ours:    " + ours;
        assertEquals(t.size(), o.size(), name + ": field count" + both);
        for (int i = 0; i < t.size(); i++) {
            int fromEnd = t.size() - i;
            String kind = HEAD_SHAPES.get(i);
            if (kind == null && fromEnd <= TAIL_TIMERS) {
                kind = "timers";
            } else if (kind == null && fromEnd == TAIL_TIMERS + 1) {
                kind = "port";
            }
            if (kind == null) {
                assertEquals(t.get(i), o.get(i), name + ": field " + i + both);
            } else {
                assertEquals(shape(kind, t.get(i)), shape(kind, o.get(i)), name + ": " + kind + " field " + i + both);
            }
        }
    }

    /** What must agree for fields that differ by nature: which timers were reached, that numbers are numbers. */
    private static String shape(String kind, String value) {
        return switch (kind) {
            case "timers" -> String.join("/", java.util.Arrays.stream(value.split("/"))
                    .map(v -> v.equals("-1") ? "-1" : v.matches("\\d+") ? "t" : "?" + v).toList());
            case "date" -> value.matches("\\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d\\.\\d{3}]") ? "date" : value;
            default -> value.matches("\"?\\d+\"?") ? "number" : value;
        };
    }

    /** Space-separated fields; a space inside double quotes (after an unescaped quote) does not separate. */
    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(c).append(line.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ' ' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** Sends {@code request} and reads until the peer closes (every case here closes after its answer). */
    private static void send(int port, String request) throws IOException {
        send("127.0.0.1", port, request);
    }

    private static void send(String from, int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) LINE_TIMEOUT.toMillis());
            socket.setSoTimeout((int) LINE_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                socket.getInputStream().readAllBytes();
            } catch (SocketException e) {
                // A reset after the answer is an answer too.
            }
        }
    }
}
