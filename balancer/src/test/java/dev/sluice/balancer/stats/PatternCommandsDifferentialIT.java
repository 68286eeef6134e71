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
 * The runtime API's map and ACL commands ({@code show|get|add|set|del|clear map|acl}) against
 * Debian's haproxy 2.6 on the same configuration and the same pattern files: the same replies
 * (entry references masked), and the same answers to clients once the lists have changed.
 */
class PatternCommandsDifferentialIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String CONFIG = """
            global
                stats socket %1$s/admin.sock level admin
            defaults
                mode http
                timeout client 5s
                timeout server 5s
                timeout connect 2s
            frontend fe
                bind 127.0.0.1:%2$d
                acl blocked src -f %3$s/block.lst
                acl api path_beg /api
                http-request deny if blocked
                http-request return status 200 content-type text/plain hdr X-Be "%%[req.hdr(host),lower,map(%3$s/hosts.map,none)]" hdr X-Net "%%[src,map_ip(%3$s/nets.map,none)]" hdr X-Api yes string ok if api
                http-request return status 200 content-type text/plain hdr X-Be "%%[req.hdr(host),lower,map(%3$s/hosts.map,none)]" hdr X-Net "%%[src,map_ip(%3$s/nets.map,none)]" string ok
            """;

    private static Path files;
    private static Path ours;
    private static Path theirs;
    private static int ourPort;
    private static int theirPort;
    private static RunningBalancer balancer;
    private static ExternalProcess haproxy;

    @BeforeAll
    static void start() throws IOException {
        files = Files.createTempDirectory("patterns");
        Files.writeString(files.resolve("hosts.map"), "www.example.com be_www\napi.example.com be_api\n");
        Files.writeString(files.resolve("block.lst"), "10.0.0.0/8\n192.168.0.0/16\n");
        Files.writeString(files.resolve("nets.map"), "127.0.0.0/8 loopback\n127.0.0.3 three\n");
        ours = Files.createTempDirectory("sluice-patterns");
        theirs = Files.createTempDirectory("haproxy-patterns");
        ourPort = Ports.free();
        theirPort = Ports.free();
        // Both read a file named patterns.cfg, which the list descriptions name.
        LoadResult loaded = ConfigLoader.parse("patterns.cfg", CONFIG.formatted(ours, ourPort, files), Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
        Files.writeString(theirs.resolve("patterns.cfg"), CONFIG.formatted(theirs, theirPort, files));
        haproxy = ExternalProcess.start("haproxy-patterns", List.of(Sluice.tool("haproxy"), "-db", "-f", "patterns.cfg"),
                Map.of(), theirs);
        haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws IOException {
        if (balancer != null) {
            balancer.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        for (Path dir : new Path[] {files, ours, theirs}) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static String ask(Path dir, String command) {
        return ExternalProcess.run("socat", List.of("bash", "-c", "echo '" + command + "' | socat -t 5 stdio UNIX-CONNECT:"
                + dir.resolve("admin.sock")), TIMEOUT).assertExit(0).output();
    }

    /**
     * The reply with entry references masked, without the lists haproxy's internal HTTP client
     * adds to {@code show acl} (Sluice has none).
     */
    private static List<String> masked(String reply) {
        List<String> lines = new ArrayList<>();
        for (String line : reply.split("\n", -1)) {
            if (!line.contains("file 'httpclient'")) {
                lines.add(line.replaceAll("0x[0-9a-f]+", "0xREF"));
            }
        }
        return lines;
    }

    private static void same(String command) {
        assertEquals(masked(ask(theirs, command)), masked(ask(ours, command)), command);
    }

    /** Status and the X-Be, X-Net and X-Api headers of one request from {@code source}. */
    private static String answer(int port, String source, String host, String path) {
        String out = ExternalProcess.run("curl", List.of("curl", "-sS", "-o", "/dev/null", "-D", "-", "--interface",
                source, "-H", "Host: " + host, "http://127.0.0.1:" + port + path), TIMEOUT).assertExit(0).output();
        StringBuilder shape = new StringBuilder();
        for (String line : out.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (line.startsWith("HTTP/") || lower.startsWith("x-be:") || lower.startsWith("x-net:")
                    || lower.startsWith("x-api:")) {
                shape.append(lower).append('|');
            }
        }
        return shape.toString();
    }

    private static void sameAnswers() {
        for (String[] probe : new String[][] {{"127.0.0.1", "www.example.com", "/"}, {"127.0.0.2", "new.example.com", "/"},
                {"127.0.0.3", "api.example.com", "/api/x"}, {"127.0.0.4", "other", "/v2/x"},
                {"127.0.0.5", "www.example.com", "/v2/x"}}) {
            assertEquals(answer(theirPort, probe[0], probe[1], probe[2]), answer(ourPort, probe[0], probe[1], probe[2]),
                    String.join(" ", probe));
        }
    }

    @Test
    void listingsLookupsAndChangesAnswerAsHaproxy() {
        String hosts = files.resolve("hosts.map").toString();
        String block = files.resolve("block.lst").toString();
        String nets = files.resolve("nets.map").toString();
        sameAnswers();
        for (String command : List.of("show map", "show acl", "show map " + hosts, "show acl " + block,
                "get map " + hosts + " www.example.com", "get map " + hosts + " nope", "get acl " + block + " 10.2.3.4",
                "get acl " + block + " 11.2.3.4", "get map " + nets + " 127.0.0.3", "get map " + nets + " ::1",
                "add map " + hosts + " new.example.com be_new", "set map " + hosts + " new.example.com be_new2",
                "add map " + hosts + " new.example.com be_dup", "show map " + hosts,
                "del map " + hosts + " new.example.com", "add map " + hosts + " new.example.com be_again",
                "del map " + hosts + " nope", "set map " + hosts + " nope x", "add acl " + block + " 127.0.0.2",
                "add acl " + block + " 300.1.1.1", "add map /nonexistent.map a b", "add acl #2 /v2",
                "show acl #2", "get acl #2 /v2/items", "get map #3", "del map #3", "clear map", "add acl #1",
                "add map " + nets + " 127.0.0.4 four", "add map " + nets + " bogus x", "show map " + nets,
                "show map #99", "del acl #0 #0x1")) {
            same(command);
        }
        sameAnswers();
        for (String command : List.of("del acl " + block + " 127.0.0.2", "show acl " + block, "clear map " + hosts,
                "show map " + hosts, "clear acl #2", "show acl #2")) {
            same(command);
        }
        sameAnswers();
        // haproxy 2.6 miscounts a list after an add it refused (entry_cnt drops by one): the listings
        // above compare the entries themselves; here the lists and their descriptions.
        assertEquals(masked(ask(theirs, "show acl")).stream().map(l -> l.replaceAll("entry_cnt=\\d+", "")).toList(),
                masked(ask(ours, "show acl")).stream().map(l -> l.replaceAll("entry_cnt=\\d+", "")).toList());
    }
}
