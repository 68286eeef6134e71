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
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code use-server}, {@code force-persist} and {@code ignore-persist} with cookie persistence,
 * beside Debian's haproxy 2.6 on one configuration where s1 is DOWN (its health check fails): which
 * server answers each request, the {@code Set-Cookie} the client gets, and the {@code Cookie}
 * header the server sees (an indirect cookie is removed even when persistence is ignored). One
 * event loop each, so round robin's order is the same in both.
 */
class UseServerDifferentialIT {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration DOWN = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    /** Each request's headers (name, value pairs). */
    private static final List<List<String>> REQUESTS = List.of(
            List.of("x-use", "s1"),
            List.of("x-use", "s1", "x-force", "1"),
            List.of("cookie", "SRV=a"),
            List.of("cookie", "SRV=a", "x-force", "1"),
            List.of("cookie", "SRV=c", "x-ignore", "1"),
            List.of("cookie", "SRV=c; other=1", "x-ignore", "1"),
            List.of("cookie", "SRV=c"),
            List.of("x-use", "s2", "cookie", "SRV=c"),
            List.of("x-use", "s2", "cookie", "SRV=a", "x-force", "1"),
            List.of("x-use", "s1", "cookie", "SRV=c"));

    private static String config(int port, int closed, ScriptedServer a, ScriptedServer b, ScriptedServer c) {
        return """
                global
                    nbthread 1
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    cookie SRV insert indirect nocache
                    use-server s2 if { hdr(x-use) s2 }
                    use-server s1 if { hdr(x-use) s1 }
                    force-persist if { hdr(x-force) 1 }
                    ignore-persist if { hdr(x-ignore) 1 }
                    server s1 127.0.0.1:%d cookie a check port %d inter 300 fall 1
                    server s2 127.0.0.1:%d cookie b
                    server s3 127.0.0.1:%d cookie c
                """.formatted(port, a.address().getPort(), closed, b.address().getPort(), c.address().getPort());
    }

    @Test
    void serverRulesAndPersistenceAsHaproxy() throws Exception {
        try (ScriptedServer a = new ScriptedServer(reply("a"));
             ScriptedServer b = new ScriptedServer(reply("b"));
             ScriptedServer c = new ScriptedServer(reply("c"))) {
            List<String> theirs = run(true, a, b, c);
            // What haproxy 2.6 did (checked by hand): a down server is used only when forced; use-server
            // wins over the cookie and sets none; ignore-persist balances and sets no cookie.
            assertEquals(List.of(
                    "b set-cookie=SRV=b; path=/ seen=",
                    "a set-cookie=- seen=",
                    "c set-cookie=SRV=c; path=/ seen=",
                    "a set-cookie=- seen=",
                    "b set-cookie=- seen=",
                    "c set-cookie=- seen=other=1",
                    "c set-cookie=- seen=",
                    "b set-cookie=- seen=",
                    "b set-cookie=- seen=",
                    "c set-cookie=- seen="), theirs);
            assertEquals(theirs, run(false, a, b, c));
        }
    }

    private static String reply(String name) {
        return "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nCache-Control: private\r\n\r\n" + name;
    }

    private List<String> run(boolean haproxy, ScriptedServer a, ScriptedServer b, ScriptedServer c) throws Exception {
        int port = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"),
                config(port, Ports.free(), a, b, c));
        List<ScriptedServer> servers = List.of(a, b, c);
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            process.awaitListening("127.0.0.1", port, START);
            process.awaitOutput("(?s).*Server be/s1 is DOWN.*", DOWN);
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < REQUESTS.size(); i++) {
                int[] before = servers.stream().mapToInt(s -> s.heads().size()).toArray();
                StringBuilder head = new StringBuilder("GET /" + i + " HTTP/1.1\r\nHost: x\r\n");
                List<String> headers = REQUESTS.get(i);
                for (int h = 0; h < headers.size(); h += 2) {
                    head.append(headers.get(h)).append(": ").append(headers.get(h + 1)).append("\r\n");
                }
                try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                    client.setTimeout(10_000);
                    RawHttp.Response response = client.send(head.append("\r\n").toString()).read();
                    String name = new String(response.body(), StandardCharsets.US_ASCII);
                    String setCookie = response.header("set-cookie");
                    ScriptedServer served = servers.get(name.charAt(0) - 'a');
                    String received = served.heads().get(before[name.charAt(0) - 'a']);
                    seen.add(name + " set-cookie=" + (setCookie == null ? "-" : setCookie) + " seen="
                            + cookieOf(received));
                }
            }
            return seen;
        }
    }

    /** The Cookie header a server received ("" without one). */
    private static String cookieOf(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("cookie:")) {
                return line.substring("cookie:".length()).strip();
            }
        }
        return "";
    }
}
