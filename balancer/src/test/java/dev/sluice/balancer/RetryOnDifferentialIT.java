package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
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
 * {@code retries}, {@code retry-on} and {@code option redispatch} beside Debian's haproxy 2.6 on
 * one configuration: what each client gets, the access log's {@code %rc} (with its "+" after a
 * redispatch) and termination state, which server saw which body, and the {@code show stat}
 * counters ({@code stot}, {@code econ}, {@code eresp}, {@code wretr}, {@code wredis}, responses by
 * class). One event loop each, so round robin's order is the same in both.
 */
class RetryOnDifferentialIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration LOG = Duration.ofSeconds(10);
    private static final Duration SOCAT = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 50;
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String UNAVAILABLE = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy";
    /** Larger than tune.bufsize (16384): HAProxy never replays it. */
    private static final int BIG_BODY = 20_000;
    private static final List<String> COLUMNS = List.of("stot", "econ", "eresp", "wretr", "wredis", "hrsp_2xx",
            "hrsp_5xx");
    private static final Pattern LOG_LINE = Pattern.compile("(?m)^(b\\w+ \\d{3} \\S+ \\S+ \\S+)$");

    /** The backends, each behind its own frontend (port) in this order. */
    private static final List<String> BACKENDS = List.of("b503", "b503r", "bempty", "bjunk", "bbig", "bconn",
            "bnol7", "bdead");

    @TempDir
    Path dir;

    private String config(List<Integer> ports, int closedPort, ScriptedServer busy, ScriptedServer ok,
                          ScriptedServer closer, ScriptedServer junk, String side) {
        StringBuilder text = new StringBuilder("""
                global
                    nbthread 1
                    stats socket %s/%s.sock level admin
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                    log stdout format raw local0
                    log-format "%%b %%ST %%s %%rc %%ts"
                """.formatted(dir, side));
        for (int i = 0; i < BACKENDS.size(); i++) {
            text.append("frontend f").append(i).append("\n    bind 127.0.0.1:").append(ports.get(i))
                    .append("\n    default_backend ").append(BACKENDS.get(i)).append('\n');
        }
        int busyPort = busy.address().getPort();
        int okPort = ok.address().getPort();
        text.append(backend("b503", "retries 3\n    retry-on 503", busyPort, okPort));
        text.append(backend("b503r", "retries 3\n    retry-on 503\n    option redispatch", busyPort, okPort));
        text.append(backend("bempty", "retries 2\n    retry-on empty-response", closer.address().getPort(), okPort));
        text.append(backend("bjunk", "retries 3\n    retry-on empty-response junk-response\n    option redispatch",
                junk.address().getPort(), okPort));
        text.append(backend("bbig", "retry-on 503\n    option redispatch", busyPort, okPort));
        text.append(backend("bconn", "retries 3\n    option redispatch", closedPort, okPort));
        text.append(backend("bnol7", "retry-on 503\n    option redispatch\n    http-request disable-l7-retry",
                busyPort, okPort));
        text.append(backend("bdead", "retries 1\n    option redispatch", closedPort, closedPort));
        return text.toString();
    }

    private static String backend(String name, String settings, int s1, int s2) {
        return "backend " + name + "\n    " + settings + "\n    server s1 127.0.0.1:" + s1
                + "\n    server s2 127.0.0.1:" + s2 + "\n";
    }

    /** What one side showed: client answers, log lines, bodies the good server got, counters. */
    private record Observed(List<String> answers, List<String> logs, List<String> bodies, List<String> stats) {
    }

    @Test
    void retriesAsHaproxyDoes() throws Exception {
        try (ScriptedServer busy = new ScriptedServer(UNAVAILABLE);
             ScriptedServer ok = new ScriptedServer(OK);
             ScriptedServer closer = new ScriptedServer(OK).closeUnanswered();
             ScriptedServer junk = new ScriptedServer("garbage\r\n\r\n").closeAfterReply()) {
            Observed theirs = run(true, busy, ok, closer, junk);
            Observed ours = run(false, busy, ok, closer, junk);
            // What haproxy 2.6 did (checked by hand), so that a change on either side shows.
            assertEquals(List.of(
                    "b503 GET 503 busy", "b503 GET 200 ok",
                    "b503r GET 200 ok",
                    "bempty GET 502 -", "bempty GET 200 ok",
                    "bjunk POST 200 ok",
                    "bbig POST 503 busy", "bbig GET 200 ok",
                    "bconn GET 200 ok",
                    "bnol7 POST 503 busy",
                    "bdead GET 503 -"), theirs.answers());
            assertEquals(List.of(
                    "b503 503 s1 3 --", "b503 200 s2 0 --",
                    "b503r 200 s2 +1 --",
                    "bempty 502 s1 2 SH", "bempty 200 s2 0 --",
                    "bjunk 200 s2 +1 --",
                    "bbig 503 s1 0 --", "bbig 200 s2 0 --",
                    "bconn 200 s2 +1 --",
                    "bnol7 503 s1 0 --",
                    "bdead 503 s2 +1 SC"), theirs.logs());
            assertEquals(theirs.answers(), ours.answers());
            assertEquals(theirs.logs(), ours.logs());
            // The small POST reached s2 whole after the junk answer; the big one was never sent again.
            assertEquals(List.of("hello-body"), theirs.bodies());
            assertEquals(theirs.bodies(), ours.bodies());
            assertEquals(theirs.stats(), ours.stats());
        }
    }

    private Observed run(boolean haproxy, ScriptedServer busy, ScriptedServer ok, ScriptedServer closer,
                         ScriptedServer junk) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < BACKENDS.size(); i++) {
            ports.add(Ports.free());
        }
        String side = haproxy ? "theirs" : "ours";
        Path cfg = Files.writeString(dir.resolve(side + ".cfg"),
                config(ports, Ports.free(), busy, ok, closer, junk, side));
        int bodiesBefore = ok.bodies().size();
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            for (int port : ports) {
                process.awaitListening("127.0.0.1", port, START);
            }
            List<String> answers = new ArrayList<>();
            answers.add(send(ports.get(0), "b503", "GET", null));
            answers.add(send(ports.get(0), "b503", "GET", null));
            // One request per redispatching backend: which server haproxy's round robin gives the
            // next one after a redispatch varied from run to run.
            answers.add(send(ports.get(1), "b503r", "GET", null));
            answers.add(send(ports.get(2), "bempty", "GET", null));
            answers.add(send(ports.get(2), "bempty", "GET", null));
            answers.add(send(ports.get(3), "bjunk", "POST", "hello-body"));
            answers.add(send(ports.get(4), "bbig", "POST", "x".repeat(BIG_BODY)));
            answers.add(send(ports.get(4), "bbig", "GET", null));
            answers.add(send(ports.get(5), "bconn", "GET", null));
            answers.add(send(ports.get(6), "bnol7", "POST", "no-retry"));
            answers.add(send(ports.get(7), "bdead", "GET", null));
            int expectedLines = answers.size();
            List<String> logs = logLines(process, expectedLines);
            List<String> bodies = new ArrayList<>(ok.bodies().subList(bodiesBefore, ok.bodies().size()));
            return new Observed(answers, logs, bodies, stats(side));
        }
    }

    /** The access-log lines of {@code process}, once {@code expected} are there (or the wait ran out). */
    private static List<String> logLines(ExternalProcess process, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + LOG.toNanos();
        List<String> logs = new ArrayList<>();
        while (true) {
            logs.clear();
            Matcher lines = LOG_LINE.matcher(process.output());
            while (lines.find()) {
                logs.add(lines.group(1));
            }
            if (logs.size() >= expected || System.nanoTime() > deadline) {
                return logs;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** One request on its own connection: "backend METHOD status body" ("-" for an error page's). */
    private static String send(int port, String backend, String method, String body) {
        try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
            client.setTimeout(10_000);
            String head = method + " /" + backend + " HTTP/1.1\r\nHost: x\r\n"
                    + (body == null ? "" : "Content-Length: " + body.length() + "\r\n") + "\r\n";
            client.send((head + (body == null ? "" : body)).getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response response = client.read();
            String text = new String(response.body(), StandardCharsets.ISO_8859_1);
            return backend + " " + method + " " + response.status() + " " + (text.startsWith("<html>") ? "-" : text);
        }
    }

    /** The counters of every backend and server row: "be/sv column=value …". */
    private List<String> stats(String side) {
        ExternalProcess.Result result = ExternalProcess.run("socat", List.of("bash", "-c",
                "echo 'show stat' | socat -t 5 stdio UNIX-CONNECT:" + dir.resolve(side + ".sock")), SOCAT);
        result.assertExit(0);
        String[] rows = result.output().split("\n");
        List<String> header = List.of(rows[0].substring(2).split(",", -1));
        List<String> lines = new ArrayList<>();
        for (String row : rows) {
            String[] fields = row.split(",", -1);
            if (fields.length < 2 || !BACKENDS.contains(fields[0])) {
                continue;
            }
            StringBuilder line = new StringBuilder(fields[0]).append('/').append(fields[1]);
            for (String column : COLUMNS) {
                line.append(' ').append(column).append('=').append(fields[header.indexOf(column)]);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
