package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.ResponseShape;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code userlist}, {@code http_auth}, {@code http_auth_group}, {@code http-request auth} and
 * {@code http-after-response}: one configuration run by Debian's haproxy 2.6 and by
 * {@code scripts/balancer} (the packaged jar and its lib/, so the crypt libraries are on the real
 * class path), asked the same things with curl. Passwords are hashed when the test starts, with
 * random salts, by {@code openssl passwd -1/-5/-6} and {@code mkpasswd} (bcrypt, SHA-256 with
 * {@code rounds=}). Each answer must match: status line, headers (lower-cased names, sorted;
 * {@code date} and {@code connection} left out) and body.
 */
class AuthDifferentialIT {

    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration CURL = Duration.ofSeconds(10);
    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nServer: scripted\r\n"
            + "X-Secret: leaked\r\n\r\nok\n";
    private static final String ERROR_503 = "HTTP/1.1 503 Service Unavailable\r\ncache-control: no-cache\r\n"
            + "content-type: text/plain\r\nconnection: close\r\n\r\nfarm is down\n";

    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            userlist L
              group admins users sha256
              group dev
              user sha256 password %2$s
              user sha512 password %3$s groups dev
              user md5 password %4$s
              user bcrypt password %5$s groups dev,admins
              user rounds password %6$s
              user plain insecure-password clear-text
            frontend fe
              bind 127.0.0.1:%1$d
              acl authed http_auth(L)
              acl admin http_auth_group(L) admins
              http-request deny if { path /deny }
              http-request auth realm Members unless authed
              http-request auth if { path_beg /admin } !admin
              http-request return status 200 content-type text/plain lf-string "user=%%[http_auth_user] type=%%[http_auth_type] as=%%[http_auth_group(L)]" if { path /who }
              use_backend down if { path /down }
              use_backend empty if { path /empty }
              default_backend app
              http-after-response set-header X-After fe
              http-after-response add-header X-Status %%[status]
              http-after-response set-status 299 if { status 403 }
              http-after-response del-header X-Secret
            backend app
              http-after-response set-header X-Backend-After app
              server s 127.0.0.1:%7$d
            backend down
              errorfile 503 %8$s
            backend empty
            """;

    private static Path dir;
    private static ScriptedServer theirApp;
    private static ScriptedServer ourApp;
    private static ExternalProcess haproxy;
    private static ExternalProcess balancer;
    private static int theirPort;
    private static int ourPort;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("sluice-auth-diff-");
        Files.writeString(dir.resolve("503.http"), ERROR_503);
        List<String> hashes = List.of(
                hash("openssl", "passwd", "-5", "pw-sha256"),
                hash("openssl", "passwd", "-6", "pw-sha512"),
                hash("openssl", "passwd", "-1", "pw-md5"),
                hash("mkpasswd", "-m", "bcrypt", "-R", "5", "pw-bcrypt"),
                hash("mkpasswd", "-m", "sha256crypt", "-R", "6000", "pw-rounds"));
        theirApp = new ScriptedServer(REPLY);
        ourApp = new ScriptedServer(REPLY);
        theirPort = Ports.free();
        ourPort = Ports.free();
        Path theirs = config("haproxy", theirPort, hashes, theirApp);
        Path ours = config("sluice", ourPort, hashes, ourApp);
        haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f", theirs.toString()));
        balancer = Sluice.balancer("-f", ours.toString());
        haproxy.awaitListening("127.0.0.1", theirPort, START);
        balancer.awaitListening("127.0.0.1", ourPort, START);
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {balancer, haproxy, theirApp, ourApp}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static String hash(String... command) {
        var result = ExternalProcess.run(command[0], List.of(command), CURL).assertExit(0);
        String hash = result.output().trim();
        assertTrue(hash.startsWith("$") && !hash.contains("\n"), hash);
        return hash;
    }

    private static Path config(String name, int port, List<String> hashes, ScriptedServer app) throws IOException {
        Path file = dir.resolve(name + ".cfg");
        Files.writeString(file, CONFIG.formatted(port, hashes.get(0), hashes.get(1), hashes.get(2), hashes.get(3),
                hashes.get(4), app.address().getPort(), dir.resolve("503.http")));
        return file;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no credentials", null, "/x"),
                Arguments.of("wrong password", "sha256:wrong", "/x"),
                Arguments.of("unknown user", "mallory:pw-sha256", "/x"),
                Arguments.of("sha256-crypt", "sha256:pw-sha256", "/x"),
                Arguments.of("sha512-crypt", "sha512:pw-sha512", "/x"),
                Arguments.of("md5-crypt", "md5:pw-md5", "/x"),
                Arguments.of("bcrypt", "bcrypt:pw-bcrypt", "/x"),
                Arguments.of("sha256-crypt with rounds", "rounds:pw-rounds", "/x"),
                Arguments.of("insecure-password", "plain:clear-text", "/x"),
                Arguments.of("a wrong password for bcrypt", "bcrypt:pw-sha256", "/x"),
                Arguments.of("group: admin by group line", "sha256:pw-sha256", "/admin"),
                Arguments.of("group: admin by user line", "bcrypt:pw-bcrypt", "/admin"),
                Arguments.of("group: not an admin", "sha512:pw-sha512", "/admin"),
                Arguments.of("raw fetches and the group fetch as a sample", "bcrypt:pw-bcrypt", "/who"),
                Arguments.of("after-response on a deny", null, "/deny"),
                Arguments.of("after-response on a 503 errorfile", "plain:clear-text", "/down"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameAsHaproxy(String name, String credentials, String path) {
        List<String> expected = curl(theirPort, credentials, path);
        List<String> actual = curl(ourPort, credentials, path);
        assertEquals(String.join("\n", expected), String.join("\n", actual), name);
    }

    /**
     * The built-in 503 page: its wording is ours (not compared), but the rules rewrote it as
     * haproxy's: same status line and the same after-response headers.
     */
    @Test
    void afterResponseRewritesABuiltInErrorPage() {
        for (List<String> seen : List.of(curl(theirPort, "plain:clear-text", "/empty"),
                curl(ourPort, "plain:clear-text", "/empty"))) {
            assertEquals("HTTP/1.1 503 Service Unavailable", seen.getFirst(), String.join("\n", seen));
            assertTrue(seen.contains("x-after: fe") && seen.contains("x-status: 503"), String.join("\n", seen));
        }
    }

    @Test
    void the401KeepsTheConnectionAsHaproxyDoes() {
        for (int port : new int[] {theirPort, ourPort}) {
            String base = "http://127.0.0.1:" + port;
            var result = ExternalProcess.run("curl", List.of("curl", "-sS", "-o", "/dev/null", "-o", "/dev/null", "-w",
                    "%{http_code} %{num_connects}\\n", base + "/a", base + "/b"), CURL).assertExit(0);
            assertEquals("401 1\n401 0\n", result.output(), "port " + port);
        }
    }

    /** Status line, sorted headers (lower-case names, no date), then the body. */
    private static List<String> curl(int port, String credentials, String path) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "5"));
        if (credentials != null) {
            command.addAll(List.of("-u", credentials));
        }
        command.add("http://127.0.0.1:" + port + path);
        String text = ExternalProcess.run("curl", command, CURL).assertExit(0).output();
        return ResponseShape.of(text);
    }
}
