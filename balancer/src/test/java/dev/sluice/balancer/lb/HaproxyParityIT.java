package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against real HAProxy 2.6: one haproxy process balances the same servers (same weights,
 * same explicit and positional ids) with each algorithm and hash type, its servers answer with their own
 * names, and for every key the server HAProxy chose must be the one {@link LoadBalancer} chooses.
 */
class HaproxyParityIT {
    private static final int[] WEIGHTS = {1, 2, 1, 3, 1};
    private static final int[] EXPLICIT_IDS = {0, 0, 7, 0, 3};
    private static final int KEYS = 300;
    private static final Duration START = Duration.ofSeconds(10);

    private enum Key { URI, HEADER, EXPRESSION, NONE, PARAM, SOURCE }

    private record Variant(String name, String balance, String hashType, Balance ours, Key key, int disabled) {
    }

    private static final Balance URI = Balance.of(new Balance.Uri(false, 0, 0, false));

    private static final List<Variant> VARIANTS = List.of(
            new Variant("map_sdbm", "uri", "map-based", URI, Key.URI, 0),
            new Variant("map_crc32", "uri", "map-based crc32",
                    URI.withHashType(new HashType(HashType.Method.MAP_BASED, HashFunction.CRC32, false)), Key.URI, 0),
            new Variant("chash_default", "uri", "consistent", URI.withHashType(HashType.CONSISTENT), Key.URI, 0),
            new Variant("chash_wt6", "uri", "consistent wt6",
                    URI.withHashType(new HashType(HashType.Method.CONSISTENT, HashFunction.WT6, false)), Key.URI, 0),
            new Variant("chash_djb2_av", "uri", "consistent djb2 avalanche",
                    URI.withHashType(new HashType(HashType.Method.CONSISTENT, HashFunction.DJB2, true)), Key.URI, 0),
            new Variant("chash_crc32_down", "uri", "consistent crc32",
                    URI.withHashType(new HashType(HashType.Method.CONSISTENT, HashFunction.CRC32, false)), Key.URI, 3),
            new Variant("uri_depth_whole", "uri whole depth 2", "consistent",
                    Balance.of(new Balance.Uri(true, 0, 2, false)).withHashType(HashType.CONSISTENT), Key.URI, 0),
            new Variant("hdr_domain", "hdr(x-key) use_domain_only", "map-based djb2",
                    Balance.of(new Balance.Header("x-key", true))
                            .withHashType(new HashType(HashType.Method.MAP_BASED, HashFunction.DJB2, false)),
                    Key.HEADER, 0),
            new Variant("param_chash", "url_param user", "consistent sdbm avalanche",
                    Balance.of(new Balance.UrlParam("user")).withHashType(HashType.CONSISTENT), Key.PARAM, 0),
            new Variant("uri_path_only_len", "uri path-only len 12", "map-based wt6",
                    Balance.of(new Balance.Uri(false, 12, 0, true))
                            .withHashType(new HashType(HashType.Method.MAP_BASED, HashFunction.WT6, false)),
                    Key.URI, 0),
            new Variant("hash_expr", "hash req.hdr(x-key)", "consistent crc32 avalanche",
                    Balance.of(new Balance.Hash("req.hdr(x-key)"))
                            .withHashType(new HashType(HashType.Method.CONSISTENT, HashFunction.CRC32, true)),
                    Key.EXPRESSION, 0),
            new Variant("fallback_chash", "hdr(x-key)", "consistent",
                    Balance.of(new Balance.Header("x-key", false)).withHashType(HashType.CONSISTENT), Key.NONE, 0),
            new Variant("fallback_map", "url_param user", "map-based",
                    Balance.of(new Balance.UrlParam("user")), Key.NONE, 0),
            new Variant("source_map", "source", "map-based", Balance.of(new Balance.Source()), Key.SOURCE, 0),
            new Variant("source_chash", "source", "consistent",
                    Balance.of(new Balance.Source()).withHashType(HashType.CONSISTENT), Key.SOURCE, 0));

    private static ExternalProcess haproxy;
    private static final List<Integer> FRONT_PORTS = new ArrayList<>();
    private static int staticRrPort;
    private static int[] ids;

    @BeforeAll
    static void startHaproxy() throws IOException {
        ids = ServerIds.assign(EXPLICIT_IDS);
        StringBuilder cfg = new StringBuilder("""
                global
                    nbthread 1
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                """);
        int[] serverPorts = new int[WEIGHTS.length];
        for (int s = 0; s < WEIGHTS.length; s++) {
            serverPorts[s] = Ports.free();
            cfg.append("frontend srv").append(s + 1).append('\n')
                    .append("    bind 127.0.0.1:").append(serverPorts[s]).append('\n')
                    .append("    http-request return status 200 content-type text/plain string s").append(s + 1)
                    .append('\n');
        }
        List<String> backends = new ArrayList<>();
        for (Variant v : VARIANTS) {
            int port = Ports.free();
            FRONT_PORTS.add(port);
            backends.add(backend(v.name(), v.balance(), "hash-type " + v.hashType(), port, serverPorts, v.disabled()));
        }
        staticRrPort = Ports.free();
        backends.add(backend("static_rr", "static-rr", "", staticRrPort, serverPorts, 0));
        backends.forEach(cfg::append);
        Path file = Files.createTempFile("lb-parity-", ".cfg");
        Files.writeString(file, cfg);
        haproxy = ExternalProcess.start("haproxy-parity", List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()));
        for (int port : FRONT_PORTS) {
            haproxy.awaitListening("127.0.0.1", port, START);
        }
        haproxy.awaitListening("127.0.0.1", staticRrPort, START);
    }

    private static String backend(String name, String balance, String hashType, int port, int[] serverPorts,
                                  int disabled) {
        StringBuilder b = new StringBuilder();
        b.append("frontend fe_").append(name).append("\n    bind 127.0.0.1:").append(port)
                .append("\n    default_backend be_").append(name).append('\n');
        b.append("backend be_").append(name).append("\n    balance ").append(balance).append('\n');
        if (!hashType.isEmpty()) {
            b.append("    ").append(hashType).append('\n');
        }
        for (int s = 0; s < WEIGHTS.length; s++) {
            b.append("    server s").append(s + 1).append(" 127.0.0.1:").append(serverPorts[s])
                    .append(" weight ").append(WEIGHTS[s]);
            if (EXPLICIT_IDS[s] != 0) {
                b.append(" id ").append(EXPLICIT_IDS[s]);
            }
            if (disabled == s + 1) {
                b.append(" disabled");
            }
            b.append('\n');
        }
        return b.toString();
    }

    @AfterAll
    static void stopHaproxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    private static List<Candidate> servers(int disabled) {
        List<Candidate> list = new ArrayList<>();
        for (int s = 0; s < WEIGHTS.length; s++) {
            list.add(new Candidate(ids[s], "s" + (s + 1), WEIGHTS[s], false, disabled != s + 1, ServerLoad.NONE));
        }
        return list;
    }

    @Test
    void everyKeyGoesWhereHaproxySendsIt() throws IOException {
        for (int v = 0; v < VARIANTS.size(); v++) {
            Variant variant = VARIANTS.get(v);
            LoadBalancer lb = variant.ours().snapshot(servers(variant.disabled())).newLoadBalancer();
            PickContext context = new PickContext();
            int mismatches = 0;
            StringBuilder first = new StringBuilder();
            for (int k = 0; k < KEYS; k++) {
                String expected = ask(variant, FRONT_PORTS.get(v), k, context.reset());
                String ours = lb.pick(context).name();
                if (!expected.equals(ours)) {
                    if (mismatches++ < 5) {
                        first.append(" key ").append(k).append(": haproxy ").append(expected).append(" ours ")
                                .append(ours);
                    }
                }
            }
            assertEquals(0, mismatches, variant.name() + ":" + first + "\n" + haproxy.describe());
        }
    }

    /** Sends key k to HAProxy as the variant needs it, fills the same key into the context, returns the server. */
    private static String ask(Variant variant, int port, int k, PickContext context) throws IOException {
        String path = "/objects/" + (k % 17) + "/item-" + k + ".jpg?v=" + (k % 3);
        String header = "";
        InetAddress source = InetAddress.getByName("127.0.0.1");
        switch (variant.key()) {
            case URI -> context.uri(path.startsWith("/") && k % 2 == 1 ? "http://parity" + path : path);
            case NONE -> context.uri(path);
            case EXPRESSION -> {
                String value = "session-" + (k * 31);
                header = "X-Key: " + value + "\r\n";
                context.key(value);
            }
            case HEADER -> {
                String host = "www.tenant" + k + ".example";
                header = "X-Key: " + host + "\r\n";
                context.headerValue(host);
            }
            case PARAM -> {
                path = "/app?a=" + k + "&user=u" + (k * 7919) + "&z=1";
                context.uri(path);
            }
            case SOURCE -> {
                source = InetAddress.getByAddress(new byte[] {127, 0, (byte) (k / 250), (byte) (1 + k % 250)});
                context.sourceAddress(source.getAddress());
            }
        }
        return get(source, port, context.uri() != null ? context.uri().toString() : path, header);
    }

    private static String get(InetAddress source, int port, String path, String extraHeaders) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: parity\r\n" + extraHeaders + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
        }
    }

    @Test
    void staticRoundRobinFollowsHaproxysSequence() throws IOException {
        LoadBalancer lb = Balance.of(new Balance.StaticRoundRobin()).snapshot(servers(0)).newLoadBalancer();
        PickContext context = new PickContext();
        StringBuilder theirs = new StringBuilder();
        StringBuilder ours = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            theirs.append(get(InetAddress.getByName("127.0.0.1"), staticRrPort, "/", "")).append(' ');
            ours.append(lb.pick(context).name()).append(' ');
        }
        assertEquals(theirs.toString(), ours.toString());
    }
}
