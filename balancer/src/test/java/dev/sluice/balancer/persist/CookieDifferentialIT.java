package dev.sluice.balancer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same {@code cookie} line, request and server reply through Debian's haproxy 2.6 and through our
 * engine: the client must get the same {@code Set-Cookie} and {@code Cache-Control} headers, the same
 * server must answer, and it must see the same {@code Cookie} header. Dates in inserted cookies are
 * masked (the two runs may fall in different 4-second units).
 */
class CookieDifferentialIT {
    private static final String PLAIN = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String SETS_OWN = "HTTP/1.1 200 OK\r\nSet-Cookie: SRV=app42; path=/app\r\n"
            + "Set-Cookie: other=1\r\nContent-Length: 2\r\n\r\nok";
    private static final String CREATED = "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
    private static final String NO_STORE = "HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: 2\r\n\r\nok";

    record Case(String name, String cookieLine, String request, String reply) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String get(String cookie) {
        return "GET / HTTP/1.1\r\nHost: x\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n";
    }

    private static String reply(String header) {
        return "HTTP/1.1 200 OK\r\n" + header + "\r\nContent-Length: 2\r\n\r\nok";
    }

    static Stream<Case> cases() {
        String post = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
        return Stream.of(
                new Case("insert, no cookie", "cookie SRV insert", get(null), PLAIN),
                new Case("insert, valid cookie", "cookie SRV insert", get("a=1; SRV=B; b=2"), PLAIN),
                new Case("insert, unknown cookie", "cookie SRV insert", get("SRV=Z"), PLAIN),
                new Case("insert, disabled server", "cookie SRV insert", get("SRV=C"), PLAIN),
                new Case("insert, two cookies", "cookie SRV insert indirect", get("SRV=B; x=1; SRV=A"), PLAIN),
                new Case("insert indirect", "cookie SRV insert indirect", get("a=1; SRV=B; b=2"), PLAIN),
                new Case("insert indirect alone", "cookie SRV insert indirect", get("SRV=B"), PLAIN),
                new Case("insert, server sets its own", "cookie SRV insert", get(null), SETS_OWN),
                new Case("insert preserve", "cookie SRV insert preserve", get(null), SETS_OWN),
                new Case("insert indirect, valid, server sets", "cookie SRV insert indirect", get("SRV=B"), SETS_OWN),
                new Case("nocache", "cookie SRV insert nocache", get(null), PLAIN),
                new Case("nocache, not cacheable status", "cookie SRV insert nocache", get(null), CREATED),
                new Case("nocache, no-store", "cookie SRV insert nocache", get(null), NO_STORE),
                new Case("nocache, max-age", "cookie SRV insert nocache", get(null), reply("Cache-Control: max-age=60")),
                new Case("nocache, public", "cookie SRV insert nocache", get(null), reply("Cache-Control: public")),
                new Case("nocache, expires", "cookie SRV insert nocache", get(null),
                        reply("Expires: Thu, 01 Jan 2099 00:00:00 GMT")),
                new Case("nocache, last-modified", "cookie SRV insert nocache", get(null),
                        reply("Last-Modified: Thu, 01 Jan 2015 00:00:00 GMT")),
                new Case("nocache, 302 max-age", "cookie SRV insert nocache", get(null),
                        "HTTP/1.1 302 Found\r\nLocation: /x\r\nCache-Control: max-age=60\r\nContent-Length: 0\r\n\r\n"),
                new Case("nocache, etag", "cookie SRV insert nocache", get(null), reply("ETag: \"v1\"")),
                new Case("nocache, private", "cookie SRV insert nocache", get(null), reply("Cache-Control: private, max-age=60")),
                new Case("postonly get", "cookie SRV insert postonly", get(null), PLAIN),
                new Case("postonly post", "cookie SRV insert postonly", post, PLAIN),
                new Case("attributes", "cookie SRV insert httponly secure domain .a.example domain .b.example",
                        get(null), PLAIN),
                new Case("maxidle", "cookie SRV insert maxidle 30m", get(null), PLAIN),
                new Case("maxidle and maxlife", "cookie SRV insert maxidle 30m maxlife 2h", get(null), PLAIN),
                new Case("maxidle, expired date", "cookie SRV insert maxidle 30m", get("SRV=B|AAAAB"), PLAIN),
                new Case("rewrite", "cookie SRV rewrite", get(null), SETS_OWN),
                new Case("rewrite, valid", "cookie SRV rewrite", get("SRV=B"), SETS_OWN),
                new Case("prefix", "cookie SRV prefix", get(null), SETS_OWN),
                new Case("prefix, valid", "cookie SRV prefix", get("x=1; SRV=B~app42"), SETS_OWN),
                new Case("prefix, indirect", "cookie SRV prefix indirect", get("SRV=B~app42"), SETS_OWN),
                new Case("passive", "cookie SRV", get("SRV=B"), SETS_OWN));
    }

    private static String config(String cookieLine, int port, int a, int b, int c) {
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
                  balance first
                  %s
                  server s1 127.0.0.1:%d cookie A
                  server s2 127.0.0.1:%d cookie B
                  server s3 127.0.0.1:%d cookie C disabled
                """.formatted(port, cookieLine, a, b, c);
    }

    /** What the client and the servers saw, normalised for comparison. */
    private static List<String> observe(InetSocketAddress front, List<ScriptedServer> servers, String request) {
        List<String> seen = new ArrayList<>();
        try (RawHttp client = RawHttp.to(front)) {
            client.setTimeout(3_000);
            RawHttp.Response response = client.send(request).read();
            seen.add("status " + response.status());
            for (Map.Entry<String, String> header : response.headers()) {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (name.equals("set-cookie") || name.equals("cache-control")) {
                    seen.add(name + ": " + header.getValue().replaceAll("\\|[A-Za-z0-9+/]{5}", "|DATE"));
                }
            }
        }
        for (int i = 0; i < servers.size(); i++) {
            for (String head : servers.get(i).heads()) {
                seen.add("served by s" + (i + 1));
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("cookie:")) {
                        seen.add("cookie:" + line.substring("cookie:".length()));
                    }
                }
            }
            servers.get(i).heads().clear();
        }
        return seen;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sameAsHaproxy(Case c) throws IOException {
        Path dir = Files.createTempDirectory("sluice-cookie-");
        try (ScriptedServer t1 = new ScriptedServer(c.reply()); ScriptedServer t2 = new ScriptedServer(c.reply());
             ScriptedServer t3 = new ScriptedServer(c.reply()); ScriptedServer o1 = new ScriptedServer(c.reply());
             ScriptedServer o2 = new ScriptedServer(c.reply()); ScriptedServer o3 = new ScriptedServer(c.reply())) {
            int theirPort = Ports.free();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(c.cookieLine(), theirPort, t1.address().getPort(), t2.address().getPort(),
                    t3.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(c.cookieLine(), Ports.free(), o1.address().getPort(),
                    o2.address().getPort(), o3.address().getPort()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort), List.of(t1, t2, t3),
                        c.request());
                List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(),
                        List.of(o1, o2, o3), c.request());
                assertEquals(expected, actual, c.name());
            }
        } finally {
            Files.deleteIfExists(dir.resolve("haproxy.cfg"));
            Files.deleteIfExists(dir);
        }
    }
}
