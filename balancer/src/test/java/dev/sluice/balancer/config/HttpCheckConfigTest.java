package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.check.HttpProbe;
import dev.sluice.balancer.runtime.ServerHealth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code option httpchk}, {@code http-check} and the server check settings, from text to ServerHealth. */
class HttpCheckConfigTest {

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            """;
    private static final String FRONT = """
            frontend f
                bind 127.0.0.1:18999
                default_backend b
            """;

    private static ServerHealth health(String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan().backend("b").servers().getFirst().health();
    }

    private static String refusal(String backendBody) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "backend b\n" + backendBody + FRONT, Map.of());
        assertFalse(result.isValid());
        return result.render();
    }

    private static String request(ServerHealth health) {
        return new String(health.http().requestBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void plainCheckIsATcpConnectWithHaproxyDefaults() {
        ServerHealth health = health("    server s 127.0.0.1:80 check\n");
        assertTrue(health.check());
        assertNull(health.http());
        assertEquals(Duration.ofSeconds(2), health.inter());
        assertEquals(Duration.ofSeconds(2), health.fastinter());
        assertEquals(2, health.rise());
        assertEquals(3, health.fall());
    }

    @Test
    void serverAndDefaultServerSettings() {
        ServerHealth health = health("""
                    timeout check 300ms
                    default-server inter 1s fastinter 200ms downinter 5s rise 4 fall 1 slowstart 20s
                    server s 127.0.0.1:80 check port 8081 addr 127.0.0.2
                """);
        assertEquals(Duration.ofSeconds(1), health.inter());
        assertEquals(Duration.ofMillis(200), health.fastinter());
        assertEquals(Duration.ofSeconds(5), health.downinter());
        assertEquals(4, health.rise());
        assertEquals(1, health.fall());
        assertEquals(8081, health.port());
        assertEquals("127.0.0.2", health.address().getHostAddress());
        assertEquals(Duration.ofSeconds(1), health.connectTimeout(), "min(timeout connect, inter)");
        assertEquals(Duration.ofMillis(300), health.readTimeout());
        assertEquals(Duration.ofSeconds(20), health.slowstart());
    }

    @Test
    void httpchkForms() {
        assertEquals("OPTIONS / HTTP/1.0\r\n\r\n", request(health("    option httpchk\n    server s 127.0.0.1:80 check\n")));
        assertEquals("OPTIONS /ping HTTP/1.0\r\n\r\n",
                request(health("    option httpchk /ping\n    server s 127.0.0.1:80 check\n")));
        assertEquals("HEAD /h HTTP/1.0\r\n\r\n",
                request(health("    option httpchk HEAD /h\n    server s 127.0.0.1:80 check\n")));
        assertEquals("GET /health HTTP/1.1\r\nhost: www.x.com\r\nconnection: close\r\n\r\n", request(health(
                "    option httpchk GET /health HTTP/1.1\\r\\nHost:\\ www.x.com\n    server s 127.0.0.1:80 check\n")));
        assertEquals("POST /p HTTP/1.1\r\nhost: h\r\ncontent-length: 2\r\nconnection: close\r\n\r\nhi", request(health("""
                    option httpchk
                    http-check send meth POST uri /p ver HTTP/1.1 hdr Host h body hi
                    http-check connect
                    server s 127.0.0.1:80 check
                """)));
    }

    @Test
    void expectFormsAndInheritanceFromDefaults() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + """
                    option httpchk GET /ready
                    http-check expect ! rstring ^(starting|error)
                backend b
                    server s 127.0.0.1:80 check
                backend c
                    no option httpchk
                    server s 127.0.0.1:80 check
                """ + FRONT, Map.of());
        assertTrue(result.isValid(), result.render());
        var plan = Compiler.compile(result.config().orElseThrow()).plan();
        HttpProbe probe = plan.backend("b").servers().getFirst().health().http();
        assertEquals(new HttpProbe.Expect(HttpProbe.Expect.Kind.RSTRING, true, "^(starting|error)"), probe.expect());
        assertEquals("/ready", probe.uri());
        assertNull(plan.backend("c").servers().getFirst().health().http());
    }

    @Test
    void unsupportedOrWrongFormsAreRefusedWithTheLine() {
        assertTrue(refusal("    http-check expect status abc\n").contains("t.cfg:7"), "file:line");
        assertTrue(refusal("    http-check expect status abc\n").contains("expected a status code"));
        assertTrue(refusal("    http-check expect rstring (\n").contains("invalid regex"));
        assertTrue(refusal("    http-check expect header name x\n").contains("not supported yet"));
        assertTrue(refusal("    http-check connect port 80\n").contains("connect options are not supported yet"));
        assertTrue(refusal("    http-check disable-on-404\n").contains("not supported yet"));
        assertTrue(refusal("    http-check expect status 200\n    http-check expect status 204\n")
                .contains("only one expectation"));
        assertTrue(refusal("    http-check send meth GET\n    http-check send uri /x\n").contains("only one request"));
        assertTrue(refusal("    http-check send what x\n").contains("unknown argument 'what'"));
        assertTrue(refusal("    option httpchk GET / HTTP/1.1 extra\n").contains("unexpected argument 'extra'"));
    }
}
