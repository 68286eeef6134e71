package dev.sluice.balancer.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code show table} and {@code clear table} on the runtime API, side by side with Debian's haproxy
 * 2.6: the same configuration, the same requests from two client addresses, then the same commands
 * on both sockets; every reply must match once the entry's address ({@code 0x…:}, a pointer in
 * HAProxy) and its remaining lifetime ({@code exp=}) are masked and entries are sorted.
 */
class TableCommandsIT {
    private static final Duration SOCAT = Duration.ofSeconds(20);
    private static final String CONFIG = """
            global
                stats socket %1$s/admin.sock level admin
                stats socket %1$s/user.sock level user
            defaults
                mode http
                timeout client 5s
                timeout server 5s
                timeout connect 2s
            frontend fe
                bind 127.0.0.1:%2$d
                stick-table type ip size 1k expire 30s store http_req_cnt,http_req_rate(10s),gpc0,gpt0,gpc1,http_fail_cnt,http_fail_rate(10s),gpc1_rate(5s)
                http-request track-sc0 src
                http-request return status 200 content-type text/plain string ok
            backend be
                stick-table type string len 32 size 100 expire 1m store http_req_cnt
            """;

    private static Path ours;
    private static Path theirs;
    private static RunningBalancer balancer;
    private static ExternalProcess haproxy;

    @BeforeAll
    static void start() throws IOException {
        ours = Files.createTempDirectory("sluice-tables");
        theirs = Files.createTempDirectory("haproxy-tables");
        int ourPort = Ports.free();
        int theirPort = Ports.free();
        LoadResult loaded = ConfigLoader.parse("tables.cfg", CONFIG.formatted(ours, ourPort), Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
        Path file = theirs.resolve("haproxy.cfg");
        Files.writeString(file, CONFIG.formatted(theirs, theirPort));
        haproxy = ExternalProcess.start("haproxy-tables", List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
        haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
        // Three requests from 127.0.0.1, one from 127.0.0.2, to each.
        for (int port : new int[] {ourPort, theirPort}) {
            for (String from : List.of("127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.2")) {
                ExternalProcess.run("curl", List.of("curl", "-sS", "--interface", from, "http://127.0.0.1:" + port + "/"),
                        SOCAT).assertExit(0);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    private static String ask(Path dir, String socket, String command) {
        return ExternalProcess.run("socat", List.of("bash", "-c", "echo '" + command + "' | socat -t 5 stdio UNIX-CONNECT:"
                + dir.resolve(socket)), SOCAT).assertExit(0).output();
    }

    /** The reply with pointers and lifetimes masked and entry lines sorted (headers stay in place). */
    private static List<String> masked(String reply) {
        List<String> lines = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String line : reply.split("\n", -1)) {
            if (line.startsWith("0x")) {
                entries.add(line.replaceFirst("^0x[0-9a-f]+:", "ENTRY:").replaceFirst(" exp=\\d+", " exp=E"));
            } else {
                entries.sort(null);
                lines.addAll(entries);
                entries.clear();
                lines.add(line);
            }
        }
        entries.sort(null);
        lines.addAll(entries);
        return lines;
    }

    private static void same(String socket, String command) {
        assertEquals(masked(ask(theirs, socket, command)), masked(ask(ours, socket, command)), socket + ": " + command);
    }

    @Test
    void showClearAndTheirFiltersAnswerAsHaproxy() {
        for (String command : List.of("show table", "show table fe", "show table be", "show table nosuch",
                "show table fe key 127.0.0.2", "show table fe key 10.9.9.9", "show table fe key abc",
                "show table fe data.http_req_cnt gt 2", "show table fe data.http_req_cnt le 2 data.gpc0 eq 0",
                "show table fe data.http_req_cnt xx 1", "show table fe data.foo gt 1",
                "show table fe data.conn_cnt gt 1", "show table fe data.http_req_cnt gt x", "show table fe foo",
                "show table fe key", "clear table", "clear table nosuch")) {
            same("admin.sock", command);
        }
        String fe = ask(ours, "admin.sock", "show table fe");
        assertTrue(fe.contains("key=127.0.0.1 use=0 exp=") && fe.contains(" gpc0=0 http_req_cnt=3 http_req_rate(10000)=3"),
                fe);
        // A user session sees usage, not contents, and cannot clear.
        for (String command : List.of("show table fe", "show table fe key 127.0.0.1", "clear table fe")) {
            same("user.sock", command);
        }
        same("admin.sock", "show table");
        same("admin.sock", "clear table fe key 127.0.0.2");
        same("admin.sock", "show table fe");
        same("admin.sock", "clear table fe data.http_req_cnt gt 2");
        same("admin.sock", "show table fe");
        assertTrue(ask(ours, "admin.sock", "show table fe").contains("used:0"), "both entries cleared");
    }
}
