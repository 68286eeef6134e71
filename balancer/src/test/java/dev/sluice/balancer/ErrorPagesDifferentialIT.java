package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ResponseShape;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code http-errors} sections, {@code errorfiles}, {@code http-error} (string, lf-string with
 * {@code %[…]}, file, hdr, errorfiles, default-errorfiles), the precedence between them and between
 * a frontend and its backend, {@code http-send-name-header}, a {@code disabled} backend,
 * {@code option http-restrict-req-hdr-names} (delete after the rules, reject with 403 on either side),
 * run by Debian's haproxy 2.6 and by our engine in front of identical recording servers: the client
 * must get the same response (ResponseShape) and the server the same request heads.
 */
class ErrorPagesDifferentialIT {

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final int LISTENERS = 8;

    /** %1$d…%8$d the listeners, %9$s the server, %10$s the directory of the page files. */
    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            http-errors site
              errorfile 503 %10$s/site503.http
              errorfile 502 %10$s/site502.http
            frontend sections
              bind 127.0.0.1:%1$d
              errorfiles site
              default_backend empty
            frontend formats
              bind 127.0.0.1:%2$d
              http-error status 503 content-type text/plain lf-string "host=%%[req.hdr(host)] path=%%[path]" hdr X-A "v-%%[req.hdr(host)]" hdr X-B const
              default_backend empty
            frontend lastwins
              bind 127.0.0.1:%3$d
              http-error status 503 content-type text/plain string "plain"
              errorfiles site 503
              default_backend empty
            frontend reset
              bind 127.0.0.1:%4$d
              errorfiles site
              http-error status 503 default-errorfiles
              default_backend empty
            frontend pair
              bind 127.0.0.1:%5$d
              http-error status 503 content-type text/plain string "front"
              use_backend own if { path /own }
              use_backend fileful if { path /file }
              default_backend empty
            frontend named
              bind 127.0.0.1:%6$d
              use_backend off if { path /off }
              default_backend app
            frontend cleaning
              bind 127.0.0.1:%7$d
              option http-restrict-req-hdr-names delete
              http-request set-header X-Seen "v=%%[req.hdr(x_my)]"
              use_backend strict if { path /strict }
              default_backend app
            frontend refusing
              bind 127.0.0.1:%8$d
              option http-restrict-req-hdr-names reject
              default_backend app
            backend strict
              option http-restrict-req-hdr-names reject
              server s1 %9$s
            backend empty
            backend own
              http-error status 503 content-type text/html string "<p>back</p>" hdr Retry-After 30
            backend fileful
              http-error status 503 content-type application/json file %10$s/body.json
            backend off
              disabled
              description a backend kept for later
              server s1 %9$s
            backend app
              id 42
              http-send-name-header X-Server
              server s1 %9$s
            """;

    private record Case(int listener, String request) {
        @Override
        public String toString() {
            return listener + ": " + request.replace("\r\n", "\\r\\n");
        }
    }

    private static final List<Case> CASES = List.of(
            new Case(0, get("/", "")),
            new Case(1, get("/p?q=1", "")),
            new Case(1, "GET /x HTTP/1.0\r\n\r\n"),
            new Case(2, get("/", "")),
            new Case(3, get("/", "")),
            new Case(4, get("/", "")),
            new Case(4, get("/own", "")),
            new Case(4, get("/file", "")),
            new Case(5, get("/ok", "")),
            new Case(5, get("/off", "")),
            new Case(6, get("/clean", "x_my: 1\r\nX.dot: 2\r\nok-Name9: 3\r\n")),
            new Case(6, get("/strict", "ok-Name9: 3\r\n")),
            new Case(6, get("/strict", "ok-Name9: 3\r\nx~y: 4\r\n")),
            new Case(7, get("/", "x_my: 1\r\n")),
            new Case(7, get("/", "Plain-9: 1\r\n")),
            new Case(5, get("/ok", "X-Server: forged\r\nX-Other: 1\r\nx-server: again\r\n")));

    private static Path dir;

    @BeforeAll
    static void files() throws IOException {
        dir = Files.createTempDirectory("sluice-errors-diff-");
        Files.writeString(dir.resolve("site503.http"), "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain"
                + "\r\nContent-Length: 10\r\nX-Page: site\r\n\r\nsite page\n");
        Files.writeString(dir.resolve("site502.http"), "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 4\r\n\r\nbad\n");
        Files.writeString(dir.resolve("body.json"), "{\"down\":true}\n");
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

    private static String get(String target, String extra) {
        return "GET " + target + " HTTP/1.1\r\nHost: a.example\r\n" + extra + "Connection: close\r\n\r\n";
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    private static Path config(String name, int[] ports, ScriptedServer app) throws IOException {
        Path file = dir.resolve(name + ".cfg");
        Object[] args = new Object[LISTENERS + 2];
        for (int i = 0; i < LISTENERS; i++) {
            args[i] = ports[i];
        }
        args[LISTENERS] = "127.0.0.1:" + app.address().getPort();
        args[LISTENERS + 1] = dir.toString();
        Files.writeString(file, CONFIG.formatted(args));
        return file;
    }

    private static List<String> observe(int port, String request, ScriptedServer app) {
        List<String> seen = new ArrayList<>(ResponseShape.of(exchange(port, request)));
        seen.add("-- server");
        for (String head : app.heads()) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                seen.add(colon < 0 || line.indexOf(' ') < colon ? line
                        : line.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + line.substring(colon + 1));
            }
        }
        app.heads().clear();
        return seen;
    }

    private static String exchange(int port, String request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(readToEnd(socket.getInputStream()), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    void sameAsHaproxy(Case c) throws IOException {
        int[] theirPorts = new int[LISTENERS];
        int[] ourPorts = new int[LISTENERS];
        for (int i = 0; i < LISTENERS; i++) {
            theirPorts[i] = Ports.free();
            ourPorts[i] = Ports.free();
        }
        try (ScriptedServer theirApp = new ScriptedServer(REPLY); ScriptedServer ourApp = new ScriptedServer(REPLY)) {
            Path theirs = config("haproxy", theirPorts, theirApp);
            LoadResult loaded = ConfigLoader.load(List.of(config("sluice", ourPorts, ourApp)));
            assertTrue(loaded.isValid(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                    List.of("haproxy", "-db", "-f", theirs.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
                for (int port : theirPorts) {
                    haproxy.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
                }
                List<String> expected = observe(theirPorts[c.listener()], c.request(), theirApp);
                List<String> actual = observe(ourPorts[c.listener()], c.request(), ourApp);
                assertTrue(expected.getFirst().startsWith("HTTP/1.1 "), "haproxy answered: " + expected
                        + " ports " + Arrays.toString(theirPorts));
                assertEquals(String.join("\n", expected), String.join("\n", actual), c.toString());
            }
        }
    }
}
