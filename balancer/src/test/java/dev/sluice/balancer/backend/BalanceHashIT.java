package dev.sluice.balancer.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.NamedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code balance hash EXPR} end to end, side by side with Debian's HAProxy 2.6: the same configuration text runs
 * in both, in front of the same servers, and every key must reach the same server in both (our hash functions
 * and ring placement are HAProxy's, see {@code HaproxyParityIT}), again on a second pass (deterministic), and
 * spread over the servers. Requests without the sample fall back to round robin in both.
 */
class BalanceHashIT {
    private static final int KEYS = 150;
    private static final int FALLBACK_REQUESTS = 12;
    private static final int TCP_KEYS = 40;
    private static final Duration START = Duration.ofSeconds(10);

    /** One backend: its balance lines and how key k is written into a request's headers and path. */
    private record Variant(String name, String lines, IntFunction<String[]> request) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("cookie_chash", "balance hash req.cook(id)\n    hash-type consistent",
                    k -> new String[] {"/", "Cookie: lang=en; id=user-" + (k * 7) + "\r\n"}),
            new Variant("path_map", "balance hash path\n    hash-type map-based",
                    k -> new String[] {"/img/" + (k % 13) + "/pic" + k + ".png?size=" + (k % 4), ""}),
            new Variant("host_lower_crc", "balance hash req.hdr(host),lower\n    hash-type consistent crc32",
                    k -> new String[] {"/", "X-Unused: 1\r\n", "Tenant-" + k + ".Example.COM"}),
            new Variant("int_map_djb2", "balance hash req.hdr_val(x-n)\n    hash-type map-based djb2",
                    k -> new String[] {"/", "X-N: " + (k * 1_000_003L) + "\r\n"}));

    private static String config(List<Integer> ports, List<NamedServer> servers) {
        StringBuilder cfg = new StringBuilder("""
                global
                    nbthread 1
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                """);
        for (int v = 0; v < VARIANTS.size(); v++) {
            Variant variant = VARIANTS.get(v);
            cfg.append("frontend fe_").append(variant.name()).append("\n    bind 127.0.0.1:").append(ports.get(v))
                    .append("\n    default_backend be_").append(variant.name()).append('\n')
                    .append("backend be_").append(variant.name()).append("\n    ").append(variant.lines()).append('\n');
            for (int s = 0; s < servers.size(); s++) {
                cfg.append("    server ").append(servers.get(s).name()).append(" 127.0.0.1:")
                        .append(servers.get(s).address().getPort()).append(" weight ").append(s == 1 ? 2 : 1)
                        .append(s == 2 ? " id 9" : "").append('\n');
            }
        }
        return cfg.toString();
    }

    @Test
    void everyKeyReachesTheServerHaproxyChooses() throws IOException {
        List<NamedServer> servers = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            servers.add(new NamedServer("s" + s));
        }
        try {
            List<Integer> theirPorts = new ArrayList<>();
            List<Integer> ourPorts = new ArrayList<>();
            for (int v = 0; v < VARIANTS.size(); v++) {
                theirPorts.add(Ports.free());
                ourPorts.add(Ports.free());
            }
            Path file = Files.createTempFile("balance-hash-", ".cfg");
            Files.writeString(file, config(theirPorts, servers));
            LoadResult loaded = ConfigLoader.parse("ours.cfg", config(ourPorts, servers), Map.of());
            assertTrue(loaded.config().isPresent(), loaded.render());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy-hash",
                    List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
                 RunningBalancer ours = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                for (int port : theirPorts) {
                    haproxy.awaitListening("127.0.0.1", port, START);
                }
                List<String> failures = new ArrayList<>();
                for (int v = 0; v < VARIANTS.size(); v++) {
                    try {
                        compare(VARIANTS.get(v), theirPorts.get(v), ourPorts.get(v));
                        fallback(VARIANTS.get(v), theirPorts.get(v), ourPorts.get(v));
                    } catch (AssertionError e) {
                        failures.add(e.getMessage());
                    }
                }
                assertEquals(List.of(), failures, haproxy.describe());
            } finally {
                Files.deleteIfExists(file);
            }
        } finally {
            servers.forEach(NamedServer::close);
        }
    }

    /**
     * Mode tcp: {@code balance hash src_port} hashes the client's port (an integer: 8 bytes big-endian). Each key is
     * a client port, used for one connection to haproxy and then one to us; both must pick the same server.
     */
    @Test
    void inTcpModeALayer4ExpressionIsHashedAsHaproxyDoes() throws IOException {
        List<NamedServer> servers = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
            servers.add(new NamedServer("s" + s));
        }
        try {
            int theirPort = Ports.free();
            int ourPort = Ports.free();
            String template = """
                    global
                        nbthread 1
                    defaults
                        mode tcp
                        timeout connect 2s
                        timeout client 10s
                        timeout server 10s
                    listen l
                        bind 127.0.0.1:%d
                        balance hash src_port
                        hash-type consistent
                    """;
            StringBuilder lines = new StringBuilder();
            for (NamedServer server : servers) {
                lines.append("    server ").append(server.name()).append(" 127.0.0.1:")
                        .append(server.address().getPort()).append('\n');
            }
            Path file = Files.createTempFile("balance-hash-tcp-", ".cfg");
            Files.writeString(file, template.formatted(theirPort) + lines);
            LoadResult loaded = ConfigLoader.parse("ours.cfg", template.formatted(ourPort) + lines, Map.of());
            assertTrue(loaded.config().isPresent(), loaded.render());
            assertEquals(List.of(), loaded.diagnostics().stream().map(Object::toString).toList());
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy-hash-tcp",
                    List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
                 RunningBalancer ours = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
                haproxy.awaitListening("127.0.0.1", theirPort, START);
                Set<String> used = new HashSet<>();
                for (int k = 0; k < TCP_KEYS; k++) {
                    int clientPort = Ports.free();
                    String theirs = get(theirPort, new String[] {"/", ""}, clientPort);
                    String mine = get(ourPort, new String[] {"/", ""}, clientPort);
                    assertEquals(theirs, mine, "client port " + clientPort + "\n" + haproxy.describe());
                    used.add(mine);
                }
                assertTrue(used.size() > 1, "spread: " + used);
                System.out.printf("balance hash src_port (mode tcp): %d client ports, same server as haproxy for all, "
                        + "servers used %s%n", TCP_KEYS, used);
            } finally {
                Files.deleteIfExists(file);
            }
        } finally {
            servers.forEach(NamedServer::close);
        }
    }

    private static void compare(Variant variant, int theirPort, int ourPort) throws IOException {
        List<String> theirs = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            String[] r = variant.request().apply(k);
            theirs.add(get(theirPort, r));
            ours.add(get(ourPort, r));
        }
        int mismatches = 0;
        StringBuilder first = new StringBuilder();
        for (int k = 0; k < KEYS; k++) {
            if (!theirs.get(k).equals(ours.get(k)) && mismatches++ < 5) {
                first.append(" key ").append(k).append(": haproxy ").append(theirs.get(k)).append(" ours ")
                        .append(ours.get(k));
            }
        }
        assertEquals(0, mismatches, variant.name() + ":" + first);
        for (int k = 0; k < KEYS; k += 7) {
            assertEquals(ours.get(k), get(ourPort, variant.request().apply(k)), variant.name() + " key " + k);
        }
        Set<String> used = new HashSet<>(ours);
        assertEquals(4, used.size(), variant.name() + " spreads over every server: " + used);
        System.out.printf("balance hash %s: %d keys, same server as haproxy for all, servers used %s%n",
                variant.name(), KEYS, used);
    }

    /** Without the sample (no cookie, no header), both fall back to round robin: more than one server answers. */
    private static void fallback(Variant variant, int theirPort, int ourPort) throws IOException {
        if (variant.name().startsWith("path") || variant.name().startsWith("host")) {
            return; // every request has a path and a Host header
        }
        Set<String> theirs = new HashSet<>();
        Set<String> ours = new HashSet<>();
        String[] bare = {"/", "", "fallback"};
        for (int i = 0; i < FALLBACK_REQUESTS; i++) {
            theirs.add(get(theirPort, bare));
            ours.add(get(ourPort, bare));
        }
        assertTrue(theirs.size() > 1, variant.name() + " haproxy " + theirs);
        assertTrue(ours.size() > 1, variant.name() + " ours " + ours);
    }

    /** {path, extra header lines[, host]} → the name of the server that answered. */
    private static String get(int port, String[] request) throws IOException {
        return get(port, request, 0);
    }

    /** The same from a chosen client port (0: any). */
    private static String get(int port, String[] request, int clientPort) throws IOException {
        String host = request.length > 2 ? request[2] : "hash";
        try (Socket socket = new Socket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", clientPort));
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + request[0] + " HTTP/1.1\r\nHost: " + host + "\r\n" + request[1]
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    /**
     * Reads one response: up to its Content-Length, or to the end of the stream without one (in mode tcp the
     * server keeps the connection open, so waiting for the end would wait for the timeout).
     */
    private static String readResponse(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            got.write(buffer, 0, n);
            String text = got.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)")
                    .matcher(text);
            if (end >= 0 && length.find() && length.start() < end
                    && text.length() >= end + 4 + Integer.parseInt(length.group(1))) {
                return text;
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }
}
