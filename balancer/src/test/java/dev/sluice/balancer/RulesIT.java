package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTP rules end to end, on what the differential test cannot show: which connections stay open
 * after a rule answers, tarpit without blocking the event loop, variables across the requests of a
 * connection, rule order between frontend and backend, a listen section running its rules once,
 * response deny, and a real curl following a redirect.
 */
class RulesIT {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final Duration TARPIT = Duration.ofMillis(700);

    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
              timeout tarpit %3$dms
            frontend fe
              bind 127.0.0.1:%1$d
              http-request deny if { path /denied }
              http-request tarpit if { path /trap }
              http-request return status 200 content-type text/plain lf-string "n=%%[var(sess.n)]" if { path /count }
              http-request set-var(sess.n) str(seen) if { path /mark }
              http-request set-var(txn.t) str(once) if { path /mark }
              http-request set-header X-Txn "%%[var(txn.t)]"
              http-request set-header X-Order front
              redirect location /target code 302 if { path /go }
              http-request set-var(txn.refuse) int(1) if { path /resp-deny }
              http-response deny if { var(txn.refuse) -m int 1 }
              use_backend other if { path_beg /other }
              default_backend be
            backend be
              http-request add-header X-Order back
              server s %2$s
            backend other
              http-request deny deny_status 410 if { path /other/gone }
              server s %2$s
            listen both
              bind 127.0.0.1:%4$d
              http-request add-header X-Listen once
              server s %2$s
            """;

    private record Setup(RunningBalancer balancer, int port, int listenPort) implements AutoCloseable {
        @Override
        public void close() {
            balancer.close();
        }
    }

    private static Setup start(ScriptedServer server) {
        int port = Ports.free();
        int listen = Ports.free();
        String text = CONFIG.formatted(port, "127.0.0.1:" + server.address().getPort(), TARPIT.toMillis(), listen);
        LoadResult loaded = ConfigLoader.parse("rules-it.cfg", text, Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        return new Setup(Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan()), port, listen);
    }

    private static RawHttp client(int port) {
        return RawHttp.to(new InetSocketAddress("127.0.0.1", port));
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    @Test
    void redirectsReturnsAndDeniesKeepTheConnection() {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server); RawHttp http = client(s.port())) {
            RawHttp.Response redirect = http.send(get("/go")).read();
            assertEquals(302, redirect.status());
            assertEquals("/target", redirect.header("location"));
            assertEquals(200, http.send(get("/count")).read().status(), "the connection survived the redirect");
            assertEquals(200, http.send(get("/plain")).read().status(), "and the return");
            RawHttp.Response denied = http.send(get("/denied")).read();
            assertEquals(403, denied.status());
            assertEquals(null, denied.header("connection"), "kept alive, as haproxy 2.6 keeps it");
            assertEquals(200, http.send(get("/plain")).read().status(), "the connection survived the deny");
            assertEquals(2, server.heads().size(), "only the two /plain reached the server");
        }
    }

    @Test
    void tarpitHoldsTheClientButNotTheEventLoop() throws Exception {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server);
             RawHttp trapped = client(s.port()); RawHttp other = client(s.port())) {
            long start = System.nanoTime();
            trapped.send(get("/trap"));
            // The single event loop serves another client while the first one waits.
            assertEquals(200, other.send(get("/plain")).read().status());
            long servedOther = System.nanoTime() - start;
            RawHttp.Response late = trapped.read();
            long answered = System.nanoTime() - start;
            assertEquals(500, late.status());
            assertTrue(answered >= TARPIT.toNanos(), "tarpit answered after " + answered / 1_000_000 + " ms");
            assertTrue(servedOther < answered, "the other client waited for the tarpit");
            assertTrue(trapped.closedByPeer());
        }
    }

    @Test
    void sessionVariablesOutliveTheRequestTransactionOnesDoNot() {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server); RawHttp http = client(s.port())) {
            assertEquals("n=", http.send(get("/count")).read().text());
            assertEquals(200, http.send(get("/mark")).read().status());
            assertTrue(server.heads().getFirst().contains("X-Txn: once\r\n"), server.heads().getFirst());
            assertEquals("n=seen", http.send(get("/count")).read().text(), "sess.n lives with the connection");
            assertEquals(200, http.send(get("/plain")).read().status());
            assertTrue(server.heads().get(1).contains("X-Txn: \r\n"), "txn.t ended with its request");
        }
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server); RawHttp http = client(s.port())) {
            assertEquals("n=", http.send(get("/count")).read().text(), "a new connection starts without");
        }
    }

    @Test
    void aResponseDenyAnswers502AndDropsTheServerResponse() {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server); RawHttp http = client(s.port())) {
            RawHttp.Response denied = http.send(get("/resp-deny")).read();
            assertEquals(502, denied.status());
            assertTrue(denied.text().contains("502 Bad Gateway"), denied.text());
            assertEquals(1, server.heads().size(), "the server was asked");
        }
    }

    @Test
    void frontendRulesRunBeforeBackendRules() {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server); RawHttp http = client(s.port())) {
            assertEquals(200, http.send(get("/plain")).read().status());
            String head = server.heads().getFirst();
            assertTrue(head.indexOf("X-Order: front") < head.indexOf("X-Order: back"), head);
            assertEquals(410, http.send(get("/other/gone")).read().status(), "the other backend's own rules");
        }
    }

    @Test
    void aListenSectionRunsItsRulesOnce() {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server); RawHttp http = client(s.listenPort())) {
            assertEquals(200, http.send(get("/")).read().status());
            String head = server.heads().getFirst();
            assertEquals(head.indexOf("X-Listen"), head.lastIndexOf("X-Listen"), head);
            assertTrue(head.contains("X-Listen: once"));
        }
    }

    @Test
    void curlFollowsARedirectToTheServer() {
        try (ScriptedServer server = new ScriptedServer(OK); Setup s = start(server)) {
            ExternalProcess.Result result = ExternalProcess.run("curl", List.of("curl", "-sS", "-L", "-o", "/dev/null",
                    "-w", "%{http_code} %{num_redirects} %{url_effective}", "http://127.0.0.1:" + s.port() + "/go"),
                    Duration.ofSeconds(10)).assertExit(0);
            assertEquals("200 1 http://127.0.0.1:" + s.port() + "/target", result.output().trim());
            assertTrue(server.heads().getFirst().startsWith("GET /target "), server.heads().getFirst());
        }
    }
}
