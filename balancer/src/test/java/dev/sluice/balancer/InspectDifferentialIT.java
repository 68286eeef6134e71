package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.balancer.support.GreetingServer;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.balancer.support.SideBySide;
import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content inspection that waits, run by Debian's haproxy 2.6 and by our balancer on the same file
 * (mode tcp): a frontend's {@code tcp-request content} rule on {@code req.len} waits for a request
 * sent in two parts; a tcp backend's own content rules run after the frontend's, waiting with the
 * backend's {@code inspect-delay}; {@code tcp-response content reject} on {@code res.payload} waits
 * for a greeting sent in two parts and closes the client without a byte; {@code close} passes the
 * greeting and ends the session; the access log prints the {@code txn.*}, {@code sess.*} and
 * {@code req.*} variables as haproxy does. Each exchange's bytes and each log line must match.
 */
class InspectDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);
    /** The pause between two parts of a request or a greeting: well inside every inspect-delay. */
    private static final long PAUSE_MILLIS = 200;
    private static final int READ_TIMEOUT_MILLIS = 5000;
    /** Each curl run: bounded, so a connection left hanging fails the test instead of blocking it. */
    private static final Duration CURL = Duration.ofSeconds(10);

    private static final String CONFIG = """
            global
                nbthread 1
            defaults
                mode tcp
                timeout connect 2s
                timeout client 5s
                timeout server 5s
                option dontlognull
                log 127.0.0.1:%5$d local0
                log-format "%%f %%b %%ts txn=%%[var(txn.first)] head=%%[var(txn.head)] req=%%[var(req.r)] sess=%%[var(sess.s)]"
            frontend fe
                bind 127.0.0.1:%1$d
                tcp-request inspect-delay 2s
                tcp-request content set-var(req.r) str(R)
                tcp-request content set-var(sess.s) str(S)
                tcp-request content reject unless { req.len ge 10 }
                tcp-request content set-var(txn.first) req.payload(0,4)
                use_backend evil if { req.payload(0,4) -m str EVIL }
                use_backend closing if { req.payload(0,5) -m str CLOSE }
                default_backend good
            frontend fe2
                bind 127.0.0.1:%2$d
                default_backend guarded
            backend good
                tcp-response inspect-delay 2s
                tcp-response content set-var(txn.head) res.payload(0,4)
                tcp-response content reject if { res.payload(0,4) -m str EVIL }
                server s 127.0.0.1:%3$d
            backend evil
                tcp-response inspect-delay 2s
                tcp-response content set-var(txn.head) res.payload(0,2)
                tcp-response content reject if { res.payload(0,4) -m str EVIL }
                server s 127.0.0.1:%4$d
            backend closing
                tcp-response inspect-delay 2s
                tcp-response content close if { res.payload(0,4) -m str EVIL }
                server s 127.0.0.1:%6$d
            backend guarded
                tcp-request inspect-delay 2s
                tcp-request content set-var(txn.first) req.payload(0,5)
                tcp-request content reject if { req.payload(5,3) -m str BAD }
                server s 127.0.0.1:%3$d
            """;

    /**
     * HTTP mode: a log line prints the {@code txn.*} variables of tcp-request content and
     * http-request rules and the {@code res.*} ones of http-response rules; {@code req.*} ones are
     * gone by then, whether a server or a deny answered.
     */
    private static final String HTTP_CONFIG = """
            global
                nbthread 1
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
                option dontlognull
            frontend fe
                bind 127.0.0.1:%1$d
                log 127.0.0.1:%2$d local0
                log-format "vars t=%%[var(txn.t)] h=%%[var(txn.h)] r=%%[var(req.r)] s=%%[var(res.s)] x=%%[var(sess.x)] st=%%ST"
                tcp-request content set-var(txn.t) path
                tcp-request content set-var(req.r) str(R)
                tcp-request content set-var(sess.x) str(X) if { path /a }
                http-request set-var(txn.h) str(H)
                http-request deny if { path /deny }
                http-response set-var(res.s) str(S)
                default_backend be
            backend be
                server s %3$s
            """;

    /**
     * HTTP mode: {@code req.len} is HAProxy's internal message size, decided on the complete head
     * without waiting for the delay; {@code wait_end} is true; payload fetches find nothing.
     */
    private static final String HTTP_LEN_CONFIG = """
            global
                nbthread 1
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:%1$d
                tcp-request inspect-delay 2s
                tcp-request content set-var(txn.len) req.len
                tcp-request content set-var(txn.we) wait_end
                tcp-request content reject if { req.len gt 120 }
                tcp-request content set-var(txn.p) req.payload(0,3)
                http-request return status 200 content-type text/plain lf-string "len=%%[var(txn.len)] p=%%[var(txn.p)] we=%%[var(txn.we)]"
            """;

    /**
     * HTTP mode: {@code tcp-response content} rules run once on the response head, where
     * {@code res.len} is 0 and {@code res.payload} finds nothing; a reject closes the client
     * connection unanswered.
     */
    private static final String HTTP_RESPONSE_CONFIG = """
            global
                nbthread 1
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
                option dontlognull
            frontend fe
                bind 127.0.0.1:%1$d
                log 127.0.0.1:%2$d local0
                log-format "st=%%ST ts=%%ts v=%%[var(txn.v)] l=%%[var(txn.l)] b=%%b"
                use_backend rej if { path /rej }
                default_backend be
            backend be
                tcp-response inspect-delay 1s
                tcp-response content set-var(txn.v) str(V)
                tcp-response content set-var(txn.l) res.len
                tcp-response content reject if { res.payload(0,4) -m str HTTP }
                server s %3$s
            backend rej
                tcp-response content set-var(txn.v) str(R)
                tcp-response content reject if { res.len eq 0 }
                tcp-response content set-var(txn.l) str(no)
                server s %3$s
            """;

    /** Each exchange: the frontend (1 or 2) and the parts the client sends, a pause between them. */
    private static final List<List<String>> EXCHANGES = List.of(
            List.of("1", "hello", "-world\n"),
            List.of("1", "short"),
            List.of("1", "EVIL-client\n"),
            List.of("1", "CLOSE-client"),
            List.of("2", "GUARD", "BAD-data\n"),
            List.of("2", "GUARD", "ok-data\n"));

    @TempDir
    static Path dir;
    private static GreetingServer good;
    private static GreetingServer evil;
    private static GreetingServer quiet;

    @BeforeAll
    static void servers() {
        good = new GreetingServer(PAUSE_MILLIS, "GOOD", "-greeting\n");
        evil = new GreetingServer(PAUSE_MILLIS, "EV", "IL-greeting\n");
        quiet = new GreetingServer(PAUSE_MILLIS, "EV", "IL-greeting\n").withoutEcho();
    }

    @AfterAll
    static void stop() {
        good.close();
        evil.close();
        quiet.close();
    }

    @Test
    void inspectionWaitsAndDecidesAsInHaproxy() throws Exception {
        List<String> theirs = run(true);
        List<String> ours = run(false);
        // HAProxy's own results, so that the comparison cannot pass on two empty lists.
        assertEquals(List.of(
                "GOOD-greeting\nhello-world\n",
                "",
                "",
                "EVIL-greeting\n",
                "",
                "GOOD-greeting\nGUARDok-data\n",
                "fe good -- txn=hell head=GOOD req=- sess=S",
                "fe fe PR txn=- head=- req=R sess=S",
                "fe evil PD txn=EVIL head=EV req=- sess=S",
                "fe closing -- txn=CLOS head=- req=- sess=S",
                "fe2 guarded PR txn=GUARD head=- req=- sess=-",
                "fe2 guarded -- txn=GUARD head=- req=- sess=-"), theirs, "haproxy's own behaviour");
        assertEquals(theirs, ours);
    }

    @Test
    void httpLogLinesPrintTheVariablesAsHaproxy() throws Exception {
        List<String> theirs = httpLines(true);
        assertEquals(List.of("vars t=/a h=H r=- s=S x=X st=200", "vars t=/deny h=H r=- s=- x=X st=403",
                "vars t=/b h=H r=- s=S x=X st=200"), theirs, "haproxy's own lines");
        assertEquals(theirs, httpLines(false));
    }

    @Test
    void httpRequestLengthIsHaproxysMessageSize() throws Exception {
        List<String> requests = List.of("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /abc HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789012345678901234567890123456789\r\n\r\n",
                "GET http://a/b HTTP/1.0\r\nHost: a\r\nX-Long: " + "0123456789".repeat(8) + "\r\n\r\n",
                // The request arrives in two parts: decided once the head is complete.
                "GET /two HTTP/1.1\r\n|Host: a\r\n\r\n");
        List<String> theirs = httpBodies(true, requests);
        assertEquals(List.of("len=38 p= we=1", "len=87 p= we=1", "", "len=41 p= we=1"), theirs, "haproxy's answers");
        assertEquals(theirs, httpBodies(false, requests));
    }

    /** The body of the answer to each request, each on its own connection ("" when closed unanswered). */
    private List<String> httpBodies(boolean haproxy, List<String> requests) throws Exception {
        int front = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs-len.cfg" : "ours-len.cfg"),
                HTTP_LEN_CONFIG.formatted(front));
        List<String> bodies = new ArrayList<>();
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            process.awaitListening("127.0.0.1", front, START);
            for (String request : requests) {
                String answer = exchange(front, List.of(request.split("\\|")));
                int end = answer.indexOf("\r\n\r\n");
                bodies.add(end < 0 ? answer : answer.substring(end + 4));
            }
        }
        return bodies;
    }

    @Test
    void httpResponseRulesActAsInHaproxy() throws Exception {
        List<String> theirs = httpResponses(true);
        assertEquals(List.of("exit 0: 200", "exit 52: 000", "exit 0: 200", "st=200 ts=-- v=V l=0 b=be",
                "st=-1 ts=PD v=R l=- b=rej", "st=200 ts=-- v=V l=0 b=be"), theirs, "haproxy's own behaviour");
        assertEquals(theirs, httpResponses(false));
    }

    /** curl's result for /a, /rej and /b (one connection each), then their log lines. */
    private List<String> httpResponses(boolean haproxy) throws Exception {
        try (SyslogReceiver logs = new SyslogReceiver(); Nginx web = new Nginx("web")) {
            int front = Ports.free();
            Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs-res.cfg" : "ours-res.cfg"),
                    HTTP_RESPONSE_CONFIG.formatted(front, logs.port(), web.address().getHostString() + ":"
                            + web.address().getPort()));
            List<String> results = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                process.awaitListening("127.0.0.1", front, START);
                for (String path : List.of("/a", "/rej", "/b")) {
                    ExternalProcess.Result result = ExternalProcess.run("curl", List.of("curl", "-s", "--max-time",
                            "5", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + front + path), CURL);
                    results.add("exit " + result.exit() + ": " + result.output().trim());
                    String line = logs.next();
                    assertNotNull(line, (haproxy ? "haproxy" : "ours") + ": no log line for " + path);
                    lines.add(line.substring(line.indexOf("]: ") + 3).trim());
                }
            }
            results.addAll(lines);
            return results;
        }
    }

    /** The log lines of three requests on one connection. */
    private List<String> httpLines(boolean haproxy) throws Exception {
        try (SyslogReceiver logs = new SyslogReceiver(); Nginx web = new Nginx("web")) {
            int front = Ports.free();
            Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs-http.cfg" : "ours-http.cfg"),
                    HTTP_CONFIG.formatted(front, logs.port(), web.address().getHostString() + ":"
                            + web.address().getPort()));
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                process.awaitListening("127.0.0.1", front, START);
                String base = "http://127.0.0.1:" + front;
                ExternalProcess.run("curl", List.of("curl", "-s", "--max-time", "5", "-o", "/dev/null", "-o",
                        "/dev/null", "-o", "/dev/null", base + "/a", base + "/deny", base + "/b"), CURL);
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    String line = logs.next();
                    assertNotNull(line, (haproxy ? "haproxy" : "ours") + ": no log line " + i);
                    lines.add(line.substring(line.indexOf("]: ") + 3).trim());
                }
                return lines;
            }
        }
    }

    /** What the client received in each exchange, then each exchange's log line. */
    private List<String> run(boolean haproxy) throws Exception {
        try (SyslogReceiver logs = new SyslogReceiver()) {
            int front = Ports.free();
            int front2 = Ports.free();
            Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"),
                    CONFIG.formatted(front, front2, good.port(), evil.port(), logs.port(), quiet.port()));
            List<String> received = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                process.awaitListening("127.0.0.1", front2, START).awaitListening("127.0.0.1", front, START);
                for (List<String> exchange : EXCHANGES) {
                    received.add(exchange(exchange.getFirst().equals("1") ? front : front2,
                            exchange.subList(1, exchange.size())));
                    String line = logs.next();
                    assertNotNull(line, (haproxy ? "haproxy" : "ours") + ": no log line after " + exchange);
                    lines.add(line.substring(line.indexOf("]: ") + 3).trim());
                }
            }
            received.addAll(lines);
            return received;
        }
    }

    /** Sends the parts, then a FIN; returns what came back until the proxy closed, or how it failed. */
    private static String exchange(int port, List<String> parts) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    Thread.sleep(PAUSE_MILLIS);
                }
                out.write(parts.get(i).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (SocketException e) {
            return "reset: " + e.getMessage();
        }
    }
}
