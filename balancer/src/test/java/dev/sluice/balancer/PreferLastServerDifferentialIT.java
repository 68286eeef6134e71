package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code option prefer-last-server} beside Debian's haproxy 2.6: the requests of one kept-alive
 * client go to the server of its private connection ({@code http-reuse never}); with shared idle
 * connections HAProxy 2.6 keeps balancing, and so does ours. One event loop each, so round robin's
 * order is the same in both.
 */
class PreferLastServerDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final int REQUESTS = 4;

    @TempDir
    Path dir;

    private static String config(int port, String option, ScriptedServer a, ScriptedServer b) {
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
                    balance roundrobin
                    %s
                    server a 127.0.0.1:%d
                    server b 127.0.0.1:%d
                """.formatted(port, option, a.address().getPort(), b.address().getPort());
    }

    @Test
    void keptAliveRequestsStayOnTheirServer() throws Exception {
        try (ScriptedServer a = new ScriptedServer(reply("a")); ScriptedServer b = new ScriptedServer(reply("b"))) {
            String option = "option prefer-last-server\n    ";
            List<String> preferred = run(false, option + "http-reuse never", a, b);
            assertEquals(List.of("a", "a", "a", "a"), preferred);
            assertEquals(run(true, option + "http-reuse never", a, b), preferred);
            // Shared idle connections (http-reuse safe): HAProxy 2.6 keeps balancing, and so do we.
            List<String> shared = run(false, option + "http-reuse safe", a, b);
            assertEquals(List.of("a", "b", "a", "b"), shared);
            assertEquals(run(true, option + "http-reuse safe", a, b), shared);
            // Without the option a private connection does not hold the client either.
            List<String> off = run(false, "no " + option + "http-reuse never", a, b);
            assertEquals(List.of("a", "b", "a", "b"), off);
            assertEquals(run(true, "no " + option + "http-reuse never", a, b), off);
        }
    }

    private static String reply(String name) {
        return "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + name;
    }

    private List<String> run(boolean haproxy, String option, ScriptedServer a, ScriptedServer b) throws Exception {
        int port = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"), config(port, option, a, b));
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            process.awaitListening("127.0.0.1", port, START);
            List<String> served = new ArrayList<>();
            try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                client.setTimeout(5_000);
                for (int i = 0; i < REQUESTS; i++) {
                    RawHttp.Response response = client.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                    served.add(new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII).strip());
                }
            }
            return served;
        }
    }
}
