package dev.sluice.balancer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code http-request capture EXPR len N|id K}, {@code http-response capture EXPR id K} and
 * {@code declare capture} beside Debian's haproxy 2.6: slots numbered in file order among the
 * header captures, filled by the rules (conditions included), cut at their length, and logged in
 * the same {@code %hr}/{@code %hs} blocks of a log-format line and of the httplog line.
 */
class RuleCaptureLogIT {
    private static final String REPLY = "HTTP/1.1 200 OK\r\nSet-Cookie: session=abcdefghijkl\r\n"
            + "Content-Length: 2\r\n\r\nok";
    private static final String CAPTURES = """
              capture request header Host len 8
              http-request capture req.hdr(user-agent) len 5
              declare capture request len 20
              http-request capture path id 2 if { path_beg /a }
              declare capture response len 10
              capture response header Content-Length len 4
              http-response capture res.hdr(set-cookie) id 0
            """;

    private static String config(int port, int logPort, int server, String format) {
        return """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  option dontlognull
                frontend fe
                  bind 127.0.0.1:%d
                  log 127.0.0.1:%d local0
                  %s
                %s  default_backend be
                backend be
                  server s 127.0.0.1:%d
                """.formatted(port, logPort, format, CAPTURES, server);
    }

    private static List<String> observe(InetSocketAddress front, SyslogReceiver logs) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (String request : List.of("GET /a/long/path/here HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\n\r\n",
                "GET /b HTTP/1.1\r\nHost: x\r\n\r\n")) {
            try (RawHttp client = RawHttp.to(front)) {
                client.setTimeout(3_000);
                client.send(request).read();
            }
            String line = logs.next();
            assertNotNull(line, "no log line");
            String message = line.substring(line.indexOf("]: ") + 3).trim();
            // The request and response capture blocks: from the first '{' to the end of the second '}'.
            int open = message.indexOf('{');
            seen.add(open < 0 ? message : message.substring(open, message.indexOf('}', message.indexOf('}') + 1) + 1));
        }
        return seen;
    }

    @Test
    void sameSlotsAndValuesAsHaproxy() throws Exception {
        Path dir = Files.createTempDirectory("sluice-rule-capture-");
        try (ScriptedServer theirs = new ScriptedServer(REPLY); ScriptedServer ours = new ScriptedServer(REPLY);
             SyslogReceiver theirLogs = new SyslogReceiver(); SyslogReceiver ourLogs = new SyslogReceiver()) {
            for (String format : List.of("option httplog", "log-format \"%hr %hs\"")) {
                int theirPort = Ports.free();
                Path cfg = Files.writeString(dir.resolve("haproxy.cfg"),
                        config(theirPort, theirLogs.port(), theirs.address().getPort(), format));
                LoadResult loaded = ConfigLoader.parse("ours.cfg",
                        config(Ports.free(), ourLogs.port(), ours.address().getPort(), format), Map.of());
                assertTrue(loaded.config().isPresent(), loaded.render());
                try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                        List.of("haproxy", "-db", "-f", cfg.toString()));
                     RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                    haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                    List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort), theirLogs);
                    List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(), ourLogs);
                    assertEquals(List.of("{example.|curl/|/a/long/path/here} {session=ab|2}", "{x||} {session=ab|2}"),
                            expected, "haproxy's own lines, as its documentation leads to expect");
                    assertEquals(expected, actual, format);
                } finally {
                    Files.deleteIfExists(cfg);
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void badCaptureRulesAreRefusedAtTheirLine() {
        String base = "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n";
        assertTrue(ConfigLoader.parse("c.cfg", base + "frontend f\n  bind 127.0.0.1:1\n  http-request capture path id 0\n",
                Map.of()).render().contains("c.cfg:8: Proxy 'f': unable to find capture id '0' referenced by "
                + "http-request capture rule."));
        assertTrue(ConfigLoader.parse("c.cfg", base + "backend b\n  http-request capture path len 3\n", Map.of())
                .render().contains("c.cfg:7: error detected in backend 'b' while parsing 'http-request capture' rule : "
                        + "proxy 'b' has no frontend capability"));
        assertTrue(ConfigLoader.parse("c.cfg", base + "frontend f\n  bind 127.0.0.1:1\n  http-response capture path len 3\n",
                Map.of()).render().contains("expects 'id', found 'len'"));
        assertTrue(ConfigLoader.parse("c.cfg", base + "frontend f\n  bind 127.0.0.1:1\n  http-request capture path\n",
                Map.of()).render().contains("expects <expression> [ 'len' <length> | id <idx> ]"));
    }
}
