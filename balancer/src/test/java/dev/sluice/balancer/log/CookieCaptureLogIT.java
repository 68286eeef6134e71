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
 * {@code capture cookie NAME len N} beside Debian's haproxy 2.6: the same {@code %CC}/{@code %CS}
 * in a log-format line and in the httplog line (where they stand after the byte count), for a
 * prefix match, an exact name ({@code NAME=}), a cut at {@code len}, and no match.
 */
class CookieCaptureLogIT {
    private static final String REPLY = "HTTP/1.1 200 OK\r\nSet-Cookie: other=1\r\n"
            + "Set-Cookie: SRVID=server-a; path=/; HttpOnly\r\nContent-Length: 2\r\n\r\nok";

    private static String config(int port, int logPort, int server, String capture, String format) {
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
                  %s
                  default_backend be
                backend be
                  server s 127.0.0.1:%d
                """.formatted(port, logPort, format, capture, server);
    }

    private static List<String> observe(InetSocketAddress front, SyslogReceiver logs, boolean httplog)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (String cookie : List.of("a=1; SRVID=client-value-long; b=2", "x=1", "SRV=short")) {
            try (RawHttp client = RawHttp.to(front)) {
                client.setTimeout(3_000);
                client.send("GET / HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\n\r\n").read();
            }
            String line = logs.next();
            assertNotNull(line, "no log line");
            String message = line.substring(line.indexOf("]: ") + 3).trim();
            if (httplog) {
                // ... %ST %B %CC %CS %tsc ...: the two fields after the status and byte count.
                String[] words = message.split(" ");
                int status = 0;
                while (status < words.length && !words[status].equals("200")) {
                    status++;
                }
                seen.add(words[status + 2] + " " + words[status + 3]);
            } else {
                seen.add(message);
            }
        }
        return seen;
    }

    @Test
    void sameCapturesAsHaproxy() throws Exception {
        Path dir = Files.createTempDirectory("sluice-cookie-log-");
        List<String[]> cases = List.of(
                new String[] {"capture cookie SRV len 32", "log-format \"%CC|%CS\""},
                new String[] {"capture cookie SRVID= len 12", "log-format \"%CC|%CS\""},
                new String[] {"capture cookie SRV len 32", "option httplog"});
        try (ScriptedServer theirs = new ScriptedServer(REPLY); ScriptedServer ours = new ScriptedServer(REPLY);
             SyslogReceiver theirLogs = new SyslogReceiver(); SyslogReceiver ourLogs = new SyslogReceiver()) {
            for (String[] c : cases) {
                int theirPort = Ports.free();
                Path cfg = Files.writeString(dir.resolve("haproxy.cfg"),
                        config(theirPort, theirLogs.port(), theirs.address().getPort(), c[0], c[1]));
                LoadResult loaded = ConfigLoader.parse("ours.cfg",
                        config(Ports.free(), ourLogs.port(), ours.address().getPort(), c[0], c[1]), Map.of());
                assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
                try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                        List.of("haproxy", "-db", "-f", cfg.toString()));
                     RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                    haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                    boolean httplog = c[1].startsWith("option");
                    List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort), theirLogs, httplog);
                    List<String> actual = observe((InetSocketAddress) balancer.boundAddresses().getFirst(), ourLogs,
                            httplog);
                    assertEquals(expected, actual, String.join(" / ", c));
                } finally {
                    Files.deleteIfExists(cfg);
                }
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
