package dev.sluice.balancer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code http-request|http-response set-log-level} beside Debian's haproxy 2.6: {@code silent}
 * drops the request's line, a level sends it at that syslog severity (the PRI of the datagram),
 * the last rule to run wins (a response rule after a request rule), and the next request on the
 * connection logs as usual again.
 */
class LogLevelDifferentialIT {
    private static final Pattern LINE = Pattern.compile("^<(\\d+)>.*\"GET (\\S+) HTTP/1.1\"");
    private static final List<String> PATHS = List.of("/health", "/a", "/err", "/dbg", "/crit", "/both", "/b");

    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private static String config(int port, int logPort, int server) {
        return """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d
                  log 127.0.0.1:%d local0
                  option httplog
                  option dontlognull
                  http-request set-log-level silent if { path /health }
                  http-request set-log-level err if { path /err } || { path /both }
                  http-request set-log-level crit if { path /crit }
                  http-request set-var(txn.path) path
                  http-response set-log-level debug if { var(txn.path) -m str /dbg } || { var(txn.path) -m str /both }
                  default_backend be
                backend be
                  server s 127.0.0.1:%d
                """.formatted(port, logPort, server);
    }

    /** Every request on one keep-alive connection, then the lines that arrived: "PRI path". */
    private static List<String> observe(InetSocketAddress front, SyslogReceiver logs) throws InterruptedException {
        try (RawHttp client = RawHttp.to(front)) {
            client.setTimeout(3_000);
            for (String path : PATHS) {
                client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
            }
        }
        List<String> seen = new ArrayList<>();
        // One line per request but the silent one; a missing line shows as a shorter list.
        for (int i = 0; i < PATHS.size() - 1; i++) {
            String line = logs.next(Duration.ofSeconds(3));
            if (line == null) {
                break;
            }
            Matcher m = LINE.matcher(line);
            seen.add(m.find() ? m.group(1) + " " + m.group(2) : line);
        }
        String extra = logs.next(Duration.ofMillis(300));
        if (extra != null) {
            seen.add("unexpected: " + extra);
        }
        return seen;
    }

    @Test
    void silentAndLevelsAsHaproxy() throws Exception {
        Path dir = Files.createTempDirectory("sluice-log-level-");
        try (SyslogReceiver theirLogs = new SyslogReceiver(); SyslogReceiver ourLogs = new SyslogReceiver();
             ScriptedServer theirs = new ScriptedServer(REPLY); ScriptedServer ours = new ScriptedServer(REPLY)) {
            int theirPort = Ports.free();
            Path cfg = Files.writeString(dir.resolve("haproxy.cfg"),
                    config(theirPort, theirLogs.port(), theirs.address().getPort()));
            LoadResult loaded = ConfigLoader.parse("ours.cfg",
                    config(Ports.free(), ourLogs.port(), ours.address().getPort()), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
                List<String> expected = observe(new InetSocketAddress("127.0.0.1", theirPort), theirLogs);
                // local0 is facility 16: PRI 128 + severity (info 6, err 3, crit 2, debug 7).
                assertEquals(List.of("134 /a", "131 /err", "135 /dbg", "130 /crit", "135 /both", "134 /b"), expected,
                        "haproxy's own lines");
                assertEquals(expected, observe((InetSocketAddress) balancer.boundAddresses().getFirst(), ourLogs));
            } finally {
                Files.deleteIfExists(cfg);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
