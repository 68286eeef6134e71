package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.ResponseShape;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One configuration full of {@code http-request}, {@code http-response}, {@code redirect} and
 * dynamic {@code use_backend} rules, run by Debian's haproxy 2.6 and by our engine in front of
 * identical recording servers: for each request the client must get the same status line, headers
 * (names in lower case, sorted; {@code date} and {@code connection} left out) and body, and the
 * servers the same request heads, line by line in order.
 */
class RulesDifferentialIT {

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: scripted\r\n"
            + "Set-Cookie: id=7; Secure; HttpOnly\r\nX-Srv: a, old, b\r\n\r\nok";

    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
              timeout tarpit 200ms
            frontend fe
              bind 127.0.0.1:%1$d
              acl is_api path_beg /api/
              http-request deny deny_status 429 content-type text/plain string slow-down hdr Retry-After 10 if { path /limited }
              http-request deny if { path /denied }
              http-request tarpit if { path /trap }
              http-request allow if { path /allowed }
              http-request set-var(txn.host) req.hdr(host),lower
              http-request set-header X-Client %%[src] if is_api
              http-request add-header X-Via "edge %%[var(txn.host)]"
              http-request del-header X-Secret
              http-request del-header x-internal- -m beg
              http-request replace-header Cookie (.*);\\ *debug=1(.*) \\1\\2
              http-request replace-value X-List ^old(.*) new\\1
              http-request set-path /v2%%[path] if { path_beg /v1/ }
              http-request set-query %%[query]&from=edge if { path /q } { query -m found }
              http-request set-uri /maintenance if { path /closed }
              http-request set-method GET if { method HEAD } { path /probe }
              http-request return status 200 content-type text/plain lf-string "hello %%[src]" hdr X-Served-By edge if { path /hello }
              http-request redirect scheme https code 301 if { hdr(host) -i secure.example.com }
              http-request redirect location https://example.com%%[path] code 308 if { path /moved }
              redirect prefix /new drop-query append-slash if { path_beg /old }
              redirect location /login set-cookie SEEN=1 if { path /signin }
              redirect location /elsewhere code 307 if { path /temporary }
              redirect location /after-allow if { path /allowed } { hdr(x-redirect) -m found }
              http-response set-header X-Backend-Host %%[var(txn.host)]
              http-response set-header X-Status %%[status]
              http-response set-header X-Srv-Last %%[res.hdr(x-srv)]
              http-response add-header X-Was-Scripted yes if { res.hdr(server) -m str scripted } { status 200 }
              http-response del-header Server
              http-response replace-header Set-Cookie (.*);\\ Secure(.*) \\1\\2
              http-response replace-value X-Srv ^old new
              http-response set-status 503 reason "Try Later" if { var(txn.host) -m str down.example.com }
              http-response deny if { var(txn.host) -m beg secret. }
              use_backend %%[req.hdr(host),lower,map(%2$s,app)]
            backend app
              http-request set-header X-Backend app
              http-response add-header X-Served app
              server s %3$s
            backend api
              http-request set-header X-Backend api
              server s %4$s
            """;

    private static final List<String> CASES = List.of(
            get("/plain", "www.example.com", ""),
            get("/api/users", "www.example.com", "X-Secret: s\r\nX-Internal-A: 1\r\nx-internal-b: 2\r\n"),
            get("/c", "www.example.com", "Cookie: a=1; debug=1; b=2\r\nX-List: old1, keep,old2\r\n"),
            get("/v1/items?x=1", "www.example.com", ""),
            get("/q?a=1", "www.example.com", ""),
            get("/closed?z", "www.example.com", ""),
            "HEAD /probe HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n",
            get("/hello", "www.example.com", ""),
            get("/x?y=1", "secure.example.com", ""),
            get("/moved", "www.example.com", ""),
            get("/old/page?drop=me", "www.example.com", ""),
            get("/signin", "www.example.com", ""),
            get("/temporary", "www.example.com", ""),
            get("/limited", "www.example.com", ""),
            get("/denied", "www.example.com", ""),
            get("/trap", "www.example.com", ""),
            get("/allowed", "www.example.com", "X-Secret: kept\r\n"),
            get("/allowed", "www.example.com", "X-Redirect: 1\r\n"),
            get("/", "down.example.com", ""),
            get("/", "secret.example.com", ""),
            get("/routed", "API.example.com", ""),
            get("/routed", "unknown.example.com", ""));

    private static Path dir;

    @BeforeAll
    static void files() throws IOException {
        dir = Files.createTempDirectory("sluice-rules-diff-");
        Files.writeString(dir.resolve("hosts.map"), "api.example.com api\nnowhere.example.com missing\n");
    }

    @AfterAll
    static void clean() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static String get(String target, String host, String extra) {
        return "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "Connection: close\r\n\r\n";
    }

    static Stream<String> cases() {
        return CASES.stream();
    }

    private static Path config(String name, int port, ScriptedServer app, ScriptedServer api) throws IOException {
        Path file = dir.resolve(name + ".cfg");
        Files.writeString(file, CONFIG.formatted(port, dir.resolve("hosts.map"), hostPort(app), hostPort(api)));
        return file;
    }

    private static String hostPort(ScriptedServer server) {
        return "127.0.0.1:" + server.address().getPort();
    }

    /** What the client got, then what each server received. */
    private static List<String> observe(int port, String request, ScriptedServer app, ScriptedServer api) {
        List<String> seen = new ArrayList<>(response(port, request));
        for (ScriptedServer server : List.of(app, api)) {
            seen.add("-- server " + (server == app ? "app" : "api"));
            for (String head : server.heads()) {
                for (String line : head.split("\r\n")) {
                    int colon = line.indexOf(':');
                    seen.add(colon < 0 || line.indexOf(' ') < colon ? line
                            : line.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + line.substring(colon + 1));
                }
            }
            server.heads().clear();
        }
        return seen;
    }

    private static List<String> response(int port, String request) {
        byte[] raw;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            raw = readToEnd(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        return ResponseShape.of(text);
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
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
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(String request) throws IOException {
        int theirPort = Ports.free();
        int ourPort = Ports.free();
        try (ScriptedServer theirApp = new ScriptedServer(REPLY); ScriptedServer theirApi = new ScriptedServer(REPLY);
             ScriptedServer ourApp = new ScriptedServer(REPLY); ScriptedServer ourApi = new ScriptedServer(REPLY)) {
            Path theirs = config("haproxy", theirPort, theirApp, theirApi);
            LoadResult loaded = ConfigLoader.load(List.of(config("sluice", ourPort, ourApp, ourApi)));
            assertTrue(loaded.isValid(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", theirs.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(theirPort, request, theirApp, theirApi);
                List<String> actual = observe(ourPort, request, ourApp, ourApi);
                assertEquals(String.join("\n", expected), String.join("\n", actual), request);
            }
        }
    }
}
