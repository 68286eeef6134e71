package dev.sluice.balancer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.NamedServer;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.TestDnsServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Run-time DNS side by side with Debian's haproxy 2.6: both ask the same test DNS server, and after each
 * change of its records both must show the same server status, address and weight in {@code show stat}
 * and send requests to the same servers (HTTP servers on 127.0.0.2..4 answering with their name). Steps:
 * the first resolution (and the address family chosen), a name missing (NX) at start that appears, an address change, a 3-server
 * template over 2 then 3 A records, an SRV template, and a name gone for longer than {@code hold nx}.
 */
class DnsResolutionDifferentialIT {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 100;
    private static final int REQUESTS = 6;

    private static String config(Path dir, int dns, int[] fronts, int port) {
        return """
                global
                  nbthread 1
                  stats socket %1$s/admin.sock level admin
                defaults
                  mode http
                  retries 0
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                resolvers dns
                  nameserver ns1 127.0.0.1:%2$d
                  resolve_retries 2
                  timeout resolve 100ms
                  timeout retry 100ms
                  hold nx 1s
                  hold other 1s
                  hold timeout 1s
                  hold valid 1s
                  hold obsolete 0s
                frontend fe_plain
                  bind 127.0.0.1:%3$d
                  default_backend plain
                frontend fe_late
                  bind 127.0.0.1:%4$d
                  default_backend late
                frontend fe_tmpl
                  bind 127.0.0.1:%5$d
                  default_backend tmpl
                frontend fe_srv
                  bind 127.0.0.1:%6$d
                  default_backend srv
                backend plain
                  server s1 plain.test:%7$d resolvers dns init-addr none resolve-prefer ipv4
                backend late
                  server s1 late.test:%7$d resolvers dns init-addr none resolve-prefer ipv4
                backend tmpl
                  server-template t 3 tmpl.test:%7$d resolvers dns init-addr none resolve-prefer ipv4
                backend srv
                  server-template web 2 _http._tcp.srv.test resolvers dns resolve-prefer ipv4
                backend family
                  server v4only v4.test:%7$d resolvers dns init-addr none
                  server dual dual.test:%7$d resolvers dns init-addr none
                  server dual4 dual.test:%7$d resolvers dns init-addr none resolve-prefer ipv4
                """.formatted(dir, dns, fronts[0], fronts[1], fronts[2], fronts[3], port);
    }

    @Test
    void followsTheSameRecordsAsHaproxy() throws Exception {
        int port = Ports.free();
        int srvPortA = Ports.free();
        int srvPortB = Ports.free();
        Path ourDir = Files.createTempDirectory("sluice-dns");
        Path theirDir = Files.createTempDirectory("haproxy-dns");
        int[] ourFronts = {Ports.free(), Ports.free(), Ports.free(), Ports.free()};
        int[] theirFronts = {Ports.free(), Ports.free(), Ports.free(), Ports.free()};
        try (TestDnsServer dns = new TestDnsServer(Ports.free());
             NamedServer n2 = new NamedServer("n2", new InetSocketAddress("127.0.0.2", port));
             NamedServer n3 = new NamedServer("n3", new InetSocketAddress("127.0.0.3", port));
             NamedServer n4 = new NamedServer("n4", new InetSocketAddress("127.0.0.4", port));
             NamedServer srvA = new NamedServer("srvA", new InetSocketAddress("127.0.0.3", srvPortA));
             NamedServer srvB = new NamedServer("srvB", new InetSocketAddress("127.0.0.4", srvPortB))) {
            dns.a("plain.test", "127.0.0.2")
                    .a("tmpl.test", "127.0.0.2", "127.0.0.3")
                    .a("v4.test", "127.0.0.2").a("dual.test", "127.0.0.3").aaaa("dual.test", "::1")
                    .a("a.srv.test", "127.0.0.3").a("b.srv.test", "127.0.0.4")
                    .srv("_http._tcp.srv.test", new TestDnsServer.Srv("a.srv.test", srvPortA, 300, 0),
                            new TestDnsServer.Srv("b.srv.test", srvPortB, 1024, 0));
            int dnsPort = dns.address().getPort();
            Path cfg = theirDir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(theirDir, dnsPort, theirFronts, port));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(ourDir, dnsPort, ourFronts, port), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
                 RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirFronts[0], Duration.ofSeconds(10));
                Sides sides = new Sides(ourDir, theirDir, ourFronts, theirFronts);
                String p = ":" + port;

                // The first resolution; 'late.test' does not exist yet: MAINT (resolution), no address.
                sides.await("first resolution", Map.of(
                        "plain/s1", "no check|127.0.0.2" + p + "|1",
                        "late/s1", "MAINT (resolution)||1",
                        "tmpl/t1", "no check|127.0.0.2" + p + "|1",
                        "tmpl/t2", "no check|127.0.0.3" + p + "|1",
                        "tmpl/t3", "MAINT (resolution)||1",
                        "srv/web1", "no check|127.0.0.3:" + srvPortA + "|2",
                        "srv/web2", "no check|127.0.0.4:" + srvPortB + "|4"));
                sides.await("resolve-prefer: ipv6 by default, the other family when it has none", Map.of(
                        "family/v4only", "no check|127.0.0.2" + p + "|1",
                        "family/dual", "no check|[::1]" + p + "|1",
                        "family/dual4", "no check|127.0.0.3" + p + "|1"));
                sides.sameTargets(0, "n2");
                sides.sameTargets(2, "n2", "n3");
                sides.sameTargets(3, "srvA", "srvB");

                dns.a("late.test", "127.0.0.4");
                sides.await("a name that appears", Map.of("late/s1", "no check|127.0.0.4" + p + "|1"));
                sides.sameTargets(1, "n4");

                dns.a("plain.test", "127.0.0.3");
                sides.await("an address change", Map.of("plain/s1", "no check|127.0.0.3" + p + "|1"));
                sides.sameTargets(0, "n3");

                dns.a("tmpl.test", "127.0.0.2", "127.0.0.3", "127.0.0.4");
                sides.await("a third record for the template", Map.of(
                        "tmpl/t1", "no check|127.0.0.2" + p + "|1",
                        "tmpl/t2", "no check|127.0.0.3" + p + "|1",
                        "tmpl/t3", "no check|127.0.0.4" + p + "|1"));
                sides.sameTargets(2, "n2", "n3", "n4");

                dns.srv("_http._tcp.srv.test", new TestDnsServer.Srv("b.srv.test", srvPortB, 1024, 0));
                sides.await("an SRV record removed", Map.of(
                        "srv/web1", "MAINT (resolution)||2",
                        "srv/web2", "no check|127.0.0.4:" + srvPortB + "|4"));
                sides.sameTargets(3, "srvB");

                dns.remove("plain.test");
                sides.await("NX past 'hold nx'", Map.of("plain/s1", "MAINT (resolution)||1"));
            }
        } finally {
            for (Path dir : List.of(ourDir, theirDir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Both processes: their stats sockets and frontends. */
    private record Sides(Path ours, Path theirs, int[] ourFronts, int[] theirFronts) {

        /** Polls both until every listed server shows {@code status|addr|weight}, or fails with both views. */
        void await(String step, Map<String, String> expected) throws Exception {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            Map<String, String> mine = Map.of();
            Map<String, String> haproxys = Map.of();
            while (System.nanoTime() < deadline) {
                mine = servers(ours);
                haproxys = servers(theirs);
                if (matches(mine, expected) && matches(haproxys, expected)) {
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
            fail(step + ": expected " + expected + "\n ours:    " + mine + "\n haproxy: " + haproxys);
        }

        private static boolean matches(Map<String, String> seen, Map<String, String> expected) {
            for (var entry : expected.entrySet()) {
                if (!entry.getValue().equals(seen.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** The servers that answer {@link #REQUESTS} requests to frontend {@code index}, the same on both sides. */
        void sameTargets(int index, String... expected) throws IOException {
            TreeSet<String> want = new TreeSet<>(List.of(expected));
            assertEquals(want, targets(theirFronts[index]), "haproxy, frontend " + index);
            assertEquals(want, targets(ourFronts[index]), "ours, frontend " + index);
        }

        private static TreeSet<String> targets(int port) {
            TreeSet<String> names = new TreeSet<>();
            for (int i = 0; i < REQUESTS; i++) {
                try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                    client.setTimeout(5_000);
                    RawHttp.Response response = client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                            .read();
                    names.add(response.status() == 200 ? response.text() : "status " + response.status());
                }
            }
            return names;
        }

        /** {@code backend/server} → {@code status|addr|weight} from {@code show stat}. */
        private static Map<String, String> servers(Path dir) throws IOException {
            List<String> lines = showStat(dir.resolve("admin.sock"));
            Map<String, String> result = new LinkedHashMap<>();
            if (lines.isEmpty() || !lines.getFirst().startsWith("# ")) {
                return result;
            }
            List<String> header = List.of(lines.getFirst().substring(2).split(",", -1));
            int status = header.indexOf("status");
            int addr = header.indexOf("addr");
            int weight = header.indexOf("weight");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                if (f.length <= Math.max(status, Math.max(addr, weight)) || f[1].equals("FRONTEND")
                        || f[1].equals("BACKEND")) {
                    continue;
                }
                result.put(f[0] + "/" + f[1], f[status] + "|" + f[addr] + "|" + f[weight]);
            }
            return result;
        }

        private static List<String> showStat(Path socket) throws IOException {
            if (!Files.exists(socket)) {
                return List.of();
            }
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                var out = new java.io.ByteArrayOutputStream();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < deadline && channel.read(buffer) >= 0) {
                    buffer.flip();
                    out.write(buffer.array(), 0, buffer.limit());
                    buffer.clear();
                }
                List<String> lines = new ArrayList<>();
                for (String line : out.toString(StandardCharsets.US_ASCII).split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
                return lines;
            }
        }
    }
}
