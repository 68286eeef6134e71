package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.ProxyProtocolNginx;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code send-proxy} and {@code send-proxy-v2} against Debian's nginx with {@code proxy_protocol}: the client
 * address nginx sees is the one the test put in the PROXY header it sent to our {@code accept-proxy} bind,
 * HAProxy 2.6 with the same config answers the same, two clients never share a server connection, mode tcp
 * sends the header too, and health checks send one ({@code option httpchk} passes only if nginx got it).
 */
class ServerProxyIT {
    /** One event loop, so that two clients could share a pooled connection if privacy failed. */
    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend fe
              bind 127.0.0.1:%1$d accept-proxy
              use_backend v2 if { path_beg /v2 }
              default_backend v1
            backend v1
              server s %3$s send-proxy
            backend v2
              server s %3$s send-proxy-v2 proxy-v2-options crc32c
            frontend tcp
              mode tcp
              bind 127.0.0.1:%2$d accept-proxy
              default_backend tcpv2
            backend tcpv2
              mode tcp
              server s %3$s send-proxy-v2
            """;

    private static ProxyProtocolNginx nginx;
    private static Path dir;

    @BeforeAll
    static void startNginx() throws IOException {
        nginx = new ProxyProtocolNginx();
        dir = Files.createTempDirectory("sluice-srvproxy-");
    }

    @AfterAll
    static void stopNginx() {
        nginx.close();
    }

    private static Path config(String name, int http, int tcp) throws IOException {
        Path file = dir.resolve(name + ".cfg");
        Files.writeString(file, CONFIG.formatted(http, tcp, nginx.hostPort()));
        return file;
    }

    private static RunningBalancer start(Path config) {
        LoadResult loaded = ConfigLoader.load(List.of(config));
        assertTrue(loaded.isValid(), loaded.render());
        return Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    private static RawHttp client(int port, String source, int sourcePort) {
        RawHttp http = RawHttp.to(new InetSocketAddress("127.0.0.1", port));
        http.send("PROXY TCP4 " + source + " 127.0.0.1 " + sourcePort + " " + port + "\r\n");
        return http;
    }

    private static String get(RawHttp http, String path) {
        RawHttp.Response response = http.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertEquals(200, response.status(), response.text());
        return response.text().trim();
    }

    /** "ADDR:PORT" of the body, without nginx's connection counters. */
    private static String who(String body) {
        return body.split(" ", 2)[0];
    }

    private static String conn(String body) {
        return body.split(" ")[1];
    }

    /** What nginx saw for a v1 request, a v2 request, and a mode tcp request, each from its own client. */
    private static List<String> seen(int http, int tcp) {
        List<String> seen = new ArrayList<>();
        try (RawHttp one = client(http, "192.0.2.7", 40001)) {
            seen.add(who(get(one, "/")));
        }
        try (RawHttp two = client(http, "192.0.2.8", 40002)) {
            seen.add(who(get(two, "/v2")));
        }
        try (RawHttp three = client(tcp, "192.0.2.9", 40003)) {
            seen.add(who(get(three, "/")));
        }
        return seen;
    }

    @Test
    void nginxSeesTheClientOfTheProxyHeaderAsHaproxyWouldSendIt() throws IOException {
        int http = Ports.free();
        int tcp = Ports.free();
        List<String> ours;
        try (RunningBalancer balancer = start(config("ours", http, tcp))) {
            ours = seen(http, tcp);
        }
        assertEquals(List.of("192.0.2.7:40001", "192.0.2.8:40002", "192.0.2.9:40003"), ours);
        int theirHttp = Ports.free();
        int theirTcp = Ports.free();
        Path file = config("haproxy", theirHttp, theirTcp);
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", file.toString()))) {
            haproxy.awaitListening("127.0.0.1", theirHttp, Duration.ofSeconds(10));
            haproxy.awaitListening("127.0.0.1", theirTcp, Duration.ofSeconds(10));
            assertEquals(seen(theirHttp, theirTcp), ours, "differential: HAProxy 2.6 with the same config");
        }
    }

    /** Bodies of A1, B1, A2, B2 from two kept-alive clients with different PROXY sources. */
    private static List<String> twoClients(int port) {
        try (RawHttp a = client(port, "192.0.2.7", 41001);
             RawHttp b = client(port, "198.51.100.3", 41002)) {
            String a1 = get(a, "/");
            String b1 = get(b, "/");
            String a2 = get(a, "/");
            String b2 = get(b, "/");
            return List.of(a1, b1, a2, b2);
        }
    }

    /** Who nginx saw for each request, and whether it came on the same connection as A1 ("=") or not ("+"). */
    private static List<String> sharing(List<String> bodies) {
        List<String> result = new ArrayList<>();
        for (String body : bodies) {
            result.add(who(body) + (conn(body).equals(conn(bodies.get(0))) ? " =" : " +"));
        }
        return result;
    }

    @Test
    void twoClientsNeverShareAServerConnection() throws IOException {
        int http = Ports.free();
        List<String> ours;
        try (RunningBalancer balancer = start(config("private", http, Ports.free()))) {
            ours = twoClients(http);
        }
        String a1 = ours.get(0);
        String b1 = ours.get(1);
        String a2 = ours.get(2);
        String b2 = ours.get(3);
        assertEquals("192.0.2.7:41001", who(a1));
        assertEquals("192.0.2.7:41001", who(a2), "a's second request must not go on b's connection");
        assertEquals("198.51.100.3:41002", who(b1));
        assertEquals("198.51.100.3:41002", who(b2), "b's second request must not go on a's connection");
        assertEquals(conn(a1), conn(a2), "a keeps its own connection");
        assertEquals(conn(b1), conn(b2), "b keeps its own connection");
        assertNotEquals(conn(a1), conn(b1));
        int theirs = Ports.free();
        Path file = config("private-haproxy", theirs, Ports.free());
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", file.toString()))) {
            haproxy.awaitListening("127.0.0.1", theirs, Duration.ofSeconds(10));
            assertEquals(sharing(twoClients(theirs)), sharing(ours), "differential: HAProxy 2.6 keeps them apart too");
        }
        // A later client with a new connection of its own gets a new server connection too.
        int later = Ports.free();
        try (RunningBalancer balancer = start(config("private-later", later, Ports.free()))) {
            String first;
            try (RawHttp a = client(later, "192.0.2.7", 42001)) {
                first = get(a, "/");
            }
            try (RawHttp b = client(later, "192.0.2.20", 42002)) {
                String second = get(b, "/");
                assertEquals("192.0.2.20:42002", who(second));
                assertNotEquals(conn(first), conn(second));
            }
        }
    }

    /** The PROXY header that opened the server connection: v1's line, or v2's fixed part and its length. */
    private static String headerOf(String head) {
        if (head.startsWith("PROXY ")) {
            return head.substring(0, head.indexOf("\r\n") + 2);
        }
        int length = ((head.charAt(14) & 0xFF) << 8) | (head.charAt(15) & 0xFF);
        return head.substring(0, 16 + length);
    }

    /**
     * What each server line put before the request, for a client whose PROXY header the test wrote. The scripted
     * server cuts its input at each blank line, and v2's signature starts with one, so its pieces are joined.
     */
    private static List<String> headers(int port, List<ScriptedServer> servers) throws InterruptedException {
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            List<String> heads = servers.get(i).heads();
            int before = heads.size();
            try (RawHttp client = client(port, "192.0.2.7", 43000 + i)) {
                get(client, "/" + i);
            }
            String received = "";
            for (int wait = 0; wait < 100 && !received.contains("GET /" + i); wait++) {
                Thread.sleep(20);
                received = String.join("", heads.subList(before, heads.size()));
            }
            assertTrue(received.contains("GET /" + i), "the request reached the server: " + received);
            headers.add(headerOf(received));
        }
        return headers;
    }

    @Test
    void theHeaderBytesAreHaproxys() throws Exception {
        String reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        List<String> lines = List.of("send-proxy", "send-proxy-v2", "send-proxy-v2 proxy-v2-options crc32c",
                "send-proxy-v2-ssl", "send-proxy-v2 proxy-v2-options authority");
        try (ScriptedServer s0 = new ScriptedServer(reply); ScriptedServer s1 = new ScriptedServer(reply);
             ScriptedServer s2 = new ScriptedServer(reply); ScriptedServer s3 = new ScriptedServer(reply);
             ScriptedServer s4 = new ScriptedServer(reply)) {
            List<ScriptedServer> servers = List.of(s0, s1, s2, s3, s4);
            StringBuilder config = new StringBuilder("""
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    frontend fe
                      bind 127.0.0.1:%1$d accept-proxy
                    """);
            for (int i = 0; i < servers.size(); i++) {
                config.append("  use_backend b").append(i).append(" if { path /").append(i).append(" }\n");
            }
            for (int i = 0; i < servers.size(); i++) {
                InetSocketAddress address = servers.get(i).address();
                config.append("backend b").append(i).append("\n  server s ").append(address.getHostString()).append(':')
                        .append(address.getPort()).append(' ').append(lines.get(i)).append('\n');
            }
            int ours = Ports.free();
            Path ourFile = dir.resolve("bytes-ours.cfg");
            Files.writeString(ourFile, config.toString().formatted(ours));
            List<String> ourHeaders;
            try (RunningBalancer balancer = start(ourFile)) {
                ourHeaders = headers(ours, servers);
            }
            assertEquals("PROXY TCP4 192.0.2.7 127.0.0.1 43000 " + ours + "\r\n", ourHeaders.get(0));
            int theirs = Ports.free();
            Path theirFile = dir.resolve("bytes-haproxy.cfg");
            Files.writeString(theirFile, config.toString().formatted(theirs));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f",
                    theirFile.toString()))) {
                haproxy.awaitListening("127.0.0.1", theirs, Duration.ofSeconds(10));
                List<String> theirHeaders = headers(theirs, servers);
                for (int i = 0; i < lines.size(); i++) {
                    // Only the destination port differs, each listening on its own, and with it the CRC32C value
                    // (the last 4 bytes, checked on ours by parsing it back).
                    String mine = ourHeaders.get(i).replace(portText(ours, i), portText(theirs, i));
                    String expected = theirHeaders.get(i);
                    if (lines.get(i).endsWith("crc32c")) {
                        io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.copiedBuffer(ourHeaders.get(i),
                                java.nio.charset.StandardCharsets.ISO_8859_1);
                        assertEquals(new InetSocketAddress("192.0.2.7", 43002), dev.sluice.common.proxy.ProxyHeaderParser
                                .parse(bytes, dev.sluice.common.proxy.ProxyHeaderParser.V2_MAX_BYTES).source());
                        bytes.release();
                        mine = mine.substring(0, mine.length() - 4);
                        expected = expected.substring(0, expected.length() - 4);
                    }
                    assertEquals(expected, mine, "byte for byte as HAProxy writes it: " + lines.get(i));
                }
            }
        }
    }

    /** A client that came through the terminator: its PROXY v2 header carries the SNI and the TLS facts. */
    private static RawHttp terminatorClient(int port, int sourcePort) {
        dev.sluice.common.proxy.ProxyHeader header = dev.sluice.common.proxy.ProxyHeader.proxy(
                new InetSocketAddress("192.0.2.7", sourcePort), new InetSocketAddress("127.0.0.1", port),
                List.of(dev.sluice.common.proxy.Tlv.authority("www.example.com"),
                        dev.sluice.common.proxy.Tlv.ssl(dev.sluice.common.proxy.SslInfo.of("TLSv1.3", "TLS_AES_128_GCM_SHA256"))));
        io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.buffer();
        dev.sluice.common.proxy.ProxyHeaderEncoder.encodeV2(header, bytes, false);
        byte[] raw = new byte[bytes.readableBytes()];
        bytes.readBytes(raw);
        bytes.release();
        RawHttp http = RawHttp.to(new InetSocketAddress("127.0.0.1", port));
        http.send(raw);
        return http;
    }

    /** The header a server got, parsed back with common's parser. */
    private static dev.sluice.common.proxy.ProxyHeader parsed(String header) {
        io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.copiedBuffer(header, java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            return dev.sluice.common.proxy.ProxyHeaderParser.parse(bytes, dev.sluice.common.proxy.ProxyHeaderParser.V2_MAX_BYTES);
        } finally {
            bytes.release();
        }
    }

    /** What one request from a terminator client put before the request on {@code server}'s connection. */
    private static String forwarded(int port, ScriptedServer server, String path) throws InterruptedException {
        List<String> heads = server.heads();
        int before = heads.size();
        try (RawHttp client = terminatorClient(port, 44000)) {
            get(client, path);
        }
        String received = "";
        for (int wait = 0; wait < 100 && !received.contains("GET " + path); wait++) {
            Thread.sleep(20);
            received = String.join("", heads.subList(before, heads.size()));
        }
        assertTrue(received.contains("GET " + path), "the request reached the server: " + received);
        return headerOf(received);
    }

    @Test
    void theTerminatorsTlvsAreForwardedAsAsked() throws Exception {
        String reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try (ScriptedServer authority = new ScriptedServer(reply); ScriptedServer ssl = new ScriptedServer(reply)) {
            String config = """
                    defaults
                      mode http
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    frontend fe
                      bind 127.0.0.1:%1$d accept-proxy
                      use_backend ssl if { path /ssl }
                      default_backend authority
                    backend authority
                      server s %2$s send-proxy-v2 proxy-v2-options authority
                    backend ssl
                      server s %3$s send-proxy-v2-ssl proxy-v2-options ssl-cipher
                    """;
            String a = authority.address().getHostString() + ":" + authority.address().getPort();
            String b = ssl.address().getHostString() + ":" + ssl.address().getPort();
            int ours = Ports.free();
            Path ourFile = dir.resolve("tlv-ours.cfg");
            Files.writeString(ourFile, config.formatted(ours, a, b));
            String ourAuthority;
            try (RunningBalancer balancer = start(ourFile)) {
                ourAuthority = forwarded(ours, authority, "/");
                dev.sluice.common.proxy.ProxyHeader withSsl = parsed(forwarded(ours, ssl, "/ssl"));
                dev.sluice.common.proxy.SslInfo info = withSsl.ssl().orElseThrow();
                assertTrue(info.ssl(), "the client came over TLS to the terminator");
                assertEquals("TLSv1.3", info.version());
                assertEquals("TLS_AES_128_GCM_SHA256", info.cipher());
                assertTrue(withSsl.authority().isEmpty(), "authority was not asked on this server");
            }
            assertEquals("www.example.com", parsed(ourAuthority).authority().orElseThrow());
            int theirs = Ports.free();
            Path theirFile = dir.resolve("tlv-haproxy.cfg");
            Files.writeString(theirFile, config.formatted(theirs, a, b));
            try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f",
                    theirFile.toString()))) {
                haproxy.awaitListening("127.0.0.1", theirs, Duration.ofSeconds(10));
                // HAProxy forwards the authority it received in the PROXY header, as we do, byte for byte.
                assertEquals(forwarded(theirs, authority, "/"), ourAuthority.replace(portText(ours, 1), portText(theirs, 1)));
            }
        }
    }

    /** How a header spells the destination port: decimal in v1, two bytes in v2. */
    private static String portText(int port, int index) {
        return index == 0 ? " " + port + "\r\n" : new String(new char[] {(char) (port >> 8), (char) (port & 0xFF)});
    }

    @Test
    void healthChecksSendAProxyHeader() throws Exception {
        int http = Ports.free();
        Path file = dir.resolve("checks.cfg");
        Files.writeString(file, """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  timeout check 2s
                frontend fe
                  bind 127.0.0.1:%1$d
                  use_backend implied if { path_beg /implied }
                  default_backend explicit
                backend explicit
                  option httpchk GET /
                  server s %2$s check inter 100 fall 1 rise 1 port %3$d check-send-proxy send-proxy
                backend implied
                  option httpchk GET /
                  server s %2$s check inter 100 fall 1 rise 1 send-proxy-v2
                """.formatted(http, nginx.hostPort(), nginx.address().getPort()));
        try (RunningBalancer balancer = start(file)) {
            // Several check intervals: a check without the header would have failed and taken the server DOWN.
            Thread.sleep(800);
            try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", http))) {
                RawHttp.Response explicit = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, explicit.status(), "check-send-proxy with port: " + explicit.text());
                RawHttp.Response implied = client.send("GET /implied HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, implied.status(), "send-proxy-v2 at the server's own port: " + implied.text());
                assertTrue(implied.text().startsWith("127.0.0.1:"), implied.text());
            }
        }
    }

    @Test
    void checksWithoutTheHeaderFailAgainstAProxyProtocolServer() throws Exception {
        int http = Ports.free();
        Path file = dir.resolve("checks-without.cfg");
        Files.writeString(file, """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  timeout check 2s
                frontend fe
                  bind 127.0.0.1:%1$d
                  default_backend b
                backend b
                  option httpchk GET /
                  server s %2$s check inter 100 fall 1 rise 1 port %3$d send-proxy
                """.formatted(http, nginx.hostPort(), nginx.address().getPort()));
        try (RunningBalancer balancer = start(file)) {
            // With an explicit port, send-proxy alone does not make checks send the header (HAProxy's rule).
            Thread.sleep(800);
            try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", http))) {
                assertEquals(503, client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
        }
    }
}
