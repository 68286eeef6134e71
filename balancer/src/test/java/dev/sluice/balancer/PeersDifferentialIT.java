package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.NamedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code peers} sections between real processes on 127.0.0.1: two Sluice balancers share a
 * {@code stick on src} table (a client placed by one node lands on the same server through the
 * other), and Sluice shares tables with Debian's haproxy 2.6 both ways, each side's runtime API
 * ({@code show table}) showing the entries the other side made.
 */
class PeersDifferentialIT {

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration CLI = Duration.ofSeconds(10);
    /** How long an update may take to reach the other node: the first dial waits up to 2 s. */
    private static final long PROPAGATION_MS = 15_000;
    private static final long POLL_MS = 100;

    private static final String CONFIG = """
            global
                stats socket %1$s level admin
            peers mesh
                peer A 127.0.0.1:%2$d
                peer B 127.0.0.1:%3$d
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:%4$d
                http-request track-sc0 src table be
                http-request sc-inc-gpc0(0)
                http-request track-sc1 req.hdr(x-user) table names if { req.hdr(x-user) -m found }
                default_backend be
            backend be
                balance roundrobin
                stick-table type ip size 1k expire 60s store server_id,gpc0,conn_cnt,http_req_cnt,http_req_rate(10s) peers mesh
                stick on src
                server s1 %5$s weight %7$d
                server s2 %6$s weight %8$d
            backend names
                stick-table type string len 16 size 100 expire 60s store gpc0,http_req_cnt peers mesh
            """;

    /**
     * Ports and files of one node, and its servers' weights: A sends new clients to s2 (1 to 100), B
     * to s1 (100 to 1), whatever event loop a connection lands on; so a client B sends to s2 was
     * placed by A, and one A sends to s1 was placed by B.
     */
    private record Node(String name, int peerPort, int frontPort, Path socket, Path config, int weight1, int weight2) {
    }

    @Test
    void aClientPlacedThroughOneSluiceNodeLandsOnTheSameServerThroughTheOther() throws Exception {
        try (NamedServer s1 = new NamedServer("s1"); NamedServer s2 = new NamedServer("s2")) {
            Path dir = Files.createTempDirectory("sluice-peers");
            Node a = node(dir, "A");
            Node b = node(dir, "B");
            write(a, a, b, s1, s2);
            write(b, a, b, s1, s2);
            try (ExternalProcess nodeA = start(false, a); ExternalProcess nodeB = start(false, b)) {
                assertEquals("s2", get(a, "127.0.0.1"));
                String learned = awaitEntry(b, "be", "127.0.0.1", "server_id=2");
                assertTrue(learned.contains("http_req_cnt=1") && learned.contains("gpc0=1"), learned);
                // B never placed 127.0.0.1: it would give it s1 (127.0.0.3 shows it), but the entry
                // learned from A sends it to s2.
                assertEquals("s2", get(b, "127.0.0.1"), () -> "B's table: " + cli(b, "show table be"));
                assertEquals("s1", get(b, "127.0.0.3"));
                // And back: A learns what B counted for 127.0.0.1 (two requests in all now).
                awaitEntry(a, "be", "127.0.0.3", "server_id=1");
                awaitEntry(a, "be", "127.0.0.1", "http_req_cnt=2");
                // A reloads: its shared table keeps its entries, and its new peers reconnect to B.
                nodeA.signal("HUP");
                nodeA.awaitOutput("reload: done", STARTUP);
                assertTrue(cli(a, "show table be").contains("key=127.0.0.1 "), cli(a, "show table be"));
                assertEquals("s2", get(a, "127.0.0.1"));
                assertEquals("s1", get(b, "127.0.0.5"));
                awaitEntry(a, "be", "127.0.0.5", "server_id=1");
                assertTrue(nodeA.alive() && nodeB.alive());
            }
        }
    }

    @Test
    void sluiceAndHaproxyShowEachOthersEntries() throws Exception {
        try (NamedServer s1 = new NamedServer("s1"); NamedServer s2 = new NamedServer("s2")) {
            Path dir = Files.createTempDirectory("sluice-haproxy-peers");
            Node ours = node(dir, "A");
            Node theirs = node(dir, "B");
            write(ours, ours, theirs, s1, s2);
            write(theirs, ours, theirs, s1, s2);
            try (ExternalProcess sluice = start(false, ours); ExternalProcess haproxy = start(true, theirs)) {
                assertEquals("s2", get(ours, "127.0.0.2"));
                assertEquals("s1", get(theirs, "127.0.0.3"));
                assertEquals("s1", get(theirs, "127.0.0.4"));
                cli(theirs, "set table names key alice data.gpc0 7 data.http_req_cnt 3");
                // Ours shows what haproxy counted and placed, and the entry set on its runtime API.
                awaitEntry(ours, "be", "127.0.0.3", "server_id=1 gpc0=1 conn_cnt=1 http_req_cnt=1");
                awaitEntry(ours, "be", "127.0.0.4", "server_id=1 gpc0=1 conn_cnt=1 http_req_cnt=1");
                awaitEntry(ours, "names", "alice", "gpc0=7 http_req_cnt=3");
                // Ours follows the placement haproxy made: 127.0.0.3 goes to s1, not to its s2.
                assertEquals("s1", get(ours, "127.0.0.3"));
                // haproxy shows what ours counted and placed, string keys included.
                String learned = awaitEntry(theirs, "be", "127.0.0.2", "server_id=2 gpc0=1 conn_cnt=1 http_req_cnt=1");
                assertTrue(learned.contains("http_req_rate(10000)=1"), learned);
                // haproxy follows the placement ours made: 127.0.0.2 goes to s2, not to its s1.
                assertEquals("s2", get(theirs, "127.0.0.2"));
                ExternalProcess.run("curl", List.of("curl", "-sS", "-H", "x-user: bob", "--interface", "127.0.0.5",
                        "http://127.0.0.1:" + ours.frontPort() + "/"), CLI).assertExit(0);
                awaitEntry(theirs, "names", "bob", "http_req_cnt=1");
                assertTrue(sluice.alive() && haproxy.alive());
            }
        }
    }

    private static Node node(Path dir, String name) {
        boolean a = name.equals("A");
        return new Node(name, Ports.free(), Ports.free(), dir.resolve(name + ".sock"), dir.resolve(name + ".cfg"),
                a ? 1 : 100, a ? 100 : 1);
    }

    private static void write(Node self, Node a, Node b, NamedServer s1, NamedServer s2) throws IOException {
        Files.writeString(self.config(), CONFIG.formatted(self.socket(), a.peerPort(), b.peerPort(), self.frontPort(),
                address(s1), address(s2), self.weight1(), self.weight2()));
    }

    private static String address(NamedServer server) {
        return server.address().getHostString() + ":" + server.address().getPort();
    }

    private static ExternalProcess start(boolean haproxy, Node node) {
        List<String> command = haproxy
                ? List.of(Sluice.tool("haproxy"), "-db", "-L", node.name(), "-f", node.config().toString())
                : Sluice.command("balancer", "-L", node.name(), "-f", node.config().toString());
        ExternalProcess process = ExternalProcess.start((haproxy ? "haproxy-" : "sluice-") + node.name(), command);
        try {
            process.awaitListening("127.0.0.1", node.frontPort(), STARTUP);
        } catch (RuntimeException | Error e) {
            process.close();
            throw e;
        }
        return process;
    }

    /** The body of {@code GET /} through {@code node} from the client address {@code from}. */
    private static String get(Node node, String from) {
        return ExternalProcess.run("curl", List.of("curl", "-sS", "--interface", from,
                "http://127.0.0.1:" + node.frontPort() + "/"), CLI).assertExit(0).output().trim();
    }

    private static String cli(Node node, String command) {
        return ExternalProcess.run("socat", List.of("sh", "-c", "echo '" + command + "' | socat - UNIX-CONNECT:"
                + node.socket()), CLI).assertExit(0).output();
    }

    /**
     * Polls {@code show table} on {@code node} until the entry of {@code key} shows {@code expected}
     * (words in that order, as both print them); returns its line, or fails with the last dump.
     */
    private static String awaitEntry(Node node, String table, String key, String expected) throws InterruptedException {
        Pattern line = Pattern.compile("(?m)^0x[0-9a-f]+: key=" + Pattern.quote(key) + " .*$");
        long deadline = System.nanoTime() + PROPAGATION_MS * 1_000_000;
        String dump = "";
        while (System.nanoTime() < deadline) {
            dump = cli(node, "show table " + table);
            var match = line.matcher(dump);
            if (match.find() && containsInOrder(match.group(), expected)) {
                return match.group();
            }
            Thread.sleep(POLL_MS);
        }
        throw new AssertionError("node " + node.name() + ": no entry " + key + " with " + expected + " in table " + table
                + " within " + PROPAGATION_MS + " ms:\n" + dump);
    }

    private static boolean containsInOrder(String line, String expected) {
        int from = 0;
        for (String word : expected.split(" ")) {
            int at = line.indexOf(" " + word, from);
            if (at < 0 || !line.startsWith(word, at + 1) || at + 1 + word.length() < line.length()
                    && line.charAt(at + 1 + word.length()) != ' ') {
                return false;
            }
            from = at + word.length();
        }
        return true;
    }
}
