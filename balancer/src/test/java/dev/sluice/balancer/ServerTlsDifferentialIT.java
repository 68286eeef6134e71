package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.SideBySide;
import dev.sluice.balancer.support.TestPki;
import dev.sluice.balancer.support.TlsNginx;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to servers ({@code server … ssl} and its family) beside Debian's haproxy 2.6, against an nginx TLS
 * server that echoes what it saw of each connection (SNI, protocol version, resumption, client certificate,
 * ALPN). Each side runs the same configuration and the same requests; what the clients and nginx saw must
 * be equal, and some of it is also checked for what it must be.
 */
class ServerTlsDifferentialIT {
    private static final Duration START = Duration.ofSeconds(30);
    /** Backends checked by their stats row once checks had time to run (inter 200ms, rise 2, fall 3). */
    private static final Duration CHECKS_SETTLE = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    /** Frontend name → its backend's server options (mode http unless the name starts with "tcp"). */
    private static Map<String, String> backends(Path pki) {
        Map<String, String> servers = new LinkedHashMap<>();
        servers.put("none", "ssl verify none");
        servers.put("ca", "ssl verify required ca-file ca.crt");
        servers.put("wrongca", "ssl verify required ca-file " + pki.resolve("wrong.crt"));
        servers.put("snistr", "ssl verify required ca-file ca.crt sni str(backend.test)");
        servers.put("snihdr", "ssl verify required ca-file ca.crt sni req.hdr(host)");
        servers.put("verifyhost", "ssl verify required ca-file ca.crt verifyhost nomatch.test");
        servers.put("crt", "ssl verify none crt client.pem");
        servers.put("tls12", "ssl verify none ssl-max-ver TLSv1.2");
        servers.put("noreuse", "ssl verify none no-ssl-reuse");
        servers.put("alpnh2", "ssl verify none alpn h2");
        servers.put("pooled", "ssl verify none");
        servers.put("tcpsni", "ssl verify required ca-file ca.crt sni str(x.wild.test)");
        return servers;
    }

    private static String config(Path pki, Map<String, Integer> ports, TlsNginx nginx, String socket) {
        StringBuilder cfg = new StringBuilder("""
                global
                    nbthread 1
                    ca-base %s
                    crt-base %s
                    stats socket %s level admin
                defaults
                    mode http
                    log stdout format raw local0
                    option httplog
                    option http-server-close
                    timeout connect 2s
                    timeout client 10s
                    timeout server 10s
                    retries 1
                """.formatted(pki, pki, socket));
        backends(pki).forEach((name, options) -> cfg.append("""
                frontend f%1$s
                    bind 127.0.0.1:%2$d
                    %4$s
                    default_backend b%1$s
                backend b%1$s
                    %4$s
                    server s 127.0.0.1:%3$d %5$s
                """.formatted(name, ports.get(name), nginx.tls().getPort(), name.startsWith("tcp") ? "mode tcp"
                : name.equals("pooled") ? "option http-keep-alive" : "", options)));
        cfg.append("""
                backend checks
                    server tls 127.0.0.1:%1$d check inter 200ms ssl verify none
                    server plain 127.0.0.1:%2$d check inter 200ms check-ssl verify none
                    server clearport 127.0.0.1:%2$d check inter 200ms port %2$d ssl verify none
                """.formatted(nginx.tls().getPort(), nginx.plain().getPort()));
        return cfg.toString();
    }

    @Test
    void sameAsHaproxy() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        TestPki certs = new TestPki(pki);
        TestPki.Issued ca = certs.authority("ca", "Sluice Test CA");
        certs.authority("wrong", "Some Other CA");
        TestPki.Issued server = certs.issue("server", ca, "CN=backend.test", "backend.test", "*.wild.test");
        certs.issue("client", ca, "CN=sluice-client,O=Sluice");
        Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
        try (TlsNginx nginx = new TlsNginx(nginxDir, server, ca)) {
            Map<String, List<String>> theirs = run(true, pki, nginx);
            Map<String, List<String>> ours = run(false, pki, nginx);
            assertEquals(theirs, ours);

            // What the comparison is about, spelled out.
            assertEquals(List.of("200 sni= proto=TLSv1.3 reused=. dn= http=HTTP/1.1 method=GET",
                    "200 sni= proto=TLSv1.3 reused=r dn= http=HTTP/1.1 method=POST"), ours.get("none"));
            assertTrue(ours.get("ca").getFirst().startsWith("200 "), ours.toString());
            assertEquals(List.of("503", "503"), ours.get("wrongca"));
            assertEquals(List.of("503 SC--", "503 SC--"), ours.get("wrongca log"), "a failed handshake is a failed connect");
            assertTrue(ours.get("snistr").getFirst().startsWith("200 sni=backend.test "), ours.toString());
            assertTrue(ours.get("snihdr").getFirst().startsWith("200 sni=a.wild.test "), ours.toString());
            assertEquals("503", ours.get("snihdr").get(1), "a Host the certificate does not name: 503");
            assertEquals(List.of("503", "503"), ours.get("verifyhost"));
            assertTrue(ours.get("crt").getFirst().contains(" dn=O=Sluice,CN=sluice-client "), ours.toString());
            assertTrue(ours.get("tls12").getFirst().contains(" proto=TLSv1.2 "), ours.toString());
            assertTrue(ours.get("tls12").get(1).contains(" reused=r "), "resumed: " + ours);
            assertTrue(ours.get("noreuse").get(1).contains(" reused=. "), "no-ssl-reuse: " + ours);
            assertTrue(ours.get("alpnh2").getFirst().contains(" http=HTTP/2.0 "), ours.toString());
            assertEquals("sni=x.wild.test proto=TLSv1.3 dn= http=HTTP/1.1 method=GET", ours.get("tcpsni").getFirst());
            assertEquals(List.of("tls UP L6OK", "plain DOWN L6RSP", "clearport UP L4OK"), ours.get("checks"));
            assertEquals(List.of("sni= proto=TLSv1.3 reused=. dn= http=HTTP/1.1 method=GET",
                    "sni= proto=TLSv1.3 reused=. dn= http=HTTP/1.1 method=GET same",
                    "sni= proto=TLSv1.3 reused=. dn= http=HTTP/1.1 method=GET same"), ours.get("pooled"),
                    "a kept-alive server connection keeps its TLS session");
        }
    }

    private Map<String, List<String>> run(boolean haproxy, Path pki, TlsNginx nginx) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : backends(pki).keySet()) {
            ports.put(name, Ports.free());
        }
        String side = haproxy ? "theirs" : "ours";
        Path socket = dir.resolve(side + ".sock");
        Path cfg = Files.writeString(dir.resolve(side + ".cfg"), config(pki, ports, nginx, socket.toString()));
        Map<String, List<String>> seen = new LinkedHashMap<>();
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            for (int port : ports.values()) {
                process.awaitListening("127.0.0.1", port, START);
            }
            long settleBy = System.nanoTime() + CHECKS_SETTLE.toNanos();
            for (var entry : ports.entrySet()) {
                String name = entry.getKey();
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", entry.getValue());
                if (name.startsWith("tcp")) {
                    seen.put(name, List.of(tcpExchange(address)));
                    continue;
                }
                if (name.equals("pooled")) {
                    seen.put(name, keptAlive(address));
                    continue;
                }
                List<String> answers = new ArrayList<>();
                answers.add(exchange(address, "GET", name.equals("snihdr") ? "a.wild.test" : "x"));
                if (!name.equals("alpnh2")) { // an h2 connection's reuse is HAProxy's own business
                    answers.add(exchange(address, "POST", name.equals("snihdr") ? "other.example" : "x"));
                }
                seen.put(name, answers);
            }
            long wait = settleBy - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
            seen.put("checks", checks(socket));
            seen.put("wrongca log", logged(process, "fwrongca"));
        }
        return seen;
    }

    /** One request on a new client connection: the status, and nginx's line when it answered. */
    private static String exchange(InetSocketAddress address, String method, String host) {
        String body = method.equals("POST") ? "hello" : "";
        try (RawHttp client = RawHttp.to(address)) {
            client.setTimeout(10_000);
            RawHttp.Response response = client.send(method + " / HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body).read();
            return response.status() == 200 ? "200 " + withoutConnection(response.text()) : String.valueOf(response.status());
        }
    }

    /** nginx's connection numbers differ from run to run; what they tell is compared apart. */
    private static String withoutConnection(String line) {
        return line.strip().replaceFirst(" conn=\\d+$", "");
    }

    /**
     * Three requests of one kept-alive client: the server connection (and its TLS session) of the first
     * serves the others; each line tells whether nginx saw the previous request's connection.
     */
    private static List<String> keptAlive(InetSocketAddress address) {
        List<String> lines = new ArrayList<>();
        String previous = null;
        try (RawHttp client = RawHttp.to(address)) {
            client.setTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                String line = client.send("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read().text().strip();
                String connection = line.substring(line.lastIndexOf(" conn=") + 1);
                lines.add(withoutConnection(line) + (previous == null ? "" : connection.equals(previous) ? " same" : " new"));
                previous = connection;
            }
        }
        return lines;
    }

    /**
     * mode tcp: the client's plain HTTP request relayed over TLS; nginx's line without its resumption
     * field: the probe that waits for the port to listen makes HAProxy open (and finish) a TLS connection
     * that ours gives up when the probe leaves, so whether the next one resumes is a matter of timing.
     */
    private static String tcpExchange(InetSocketAddress address) {
        try (RawHttp client = RawHttp.to(address)) {
            client.setTimeout(10_000);
            String line = client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().text().strip();
            return withoutConnection(line.replaceFirst(" reused=\\S* ", " "));
        }
    }

    /**
     * The status and termination flags of {@code frontend}'s 503 lines (the probe that waits for the port
     * to listen is logged too, as a 400 "CR", by both).
     */
    private static List<String> logged(ExternalProcess process, String frontend) throws InterruptedException {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(" " + frontend
                + " \\S+ \\S+ (503) \\d+ \\S+ \\S+ (\\S{4}) ");
        List<String> found = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        do { // the lines of the last requests may still be on their way to stdout
            found.clear();
            for (String text : process.output().split("\n")) {
                var match = line.matcher(text);
                if (match.find()) {
                    found.add(match.group(1) + " " + match.group(2));
                }
            }
            if (found.size() >= 2) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return found;
    }

    /** The checks backend's servers: name, status and check status from {@code show stat}. */
    private static List<String> checks(Path socket) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : cli(socket, "show stat").split("\n")) {
            String[] fields = line.split(",", -1);
            if (fields.length > 37 && fields[0].equals("checks") && !fields[1].equals("BACKEND")) {
                rows.add(fields[1] + " " + fields[17] + " " + fields[36]);
            }
        }
        return rows;
    }

    private static String cli(Path socket, String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) > 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}
