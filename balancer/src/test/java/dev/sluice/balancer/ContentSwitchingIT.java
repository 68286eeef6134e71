package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code acl} and {@code use_backend … if|unless} end to end: a configuration file with Host- and
 * path-based rules, {@code !}, {@code or}, anonymous ACLs, a {@code -f} pattern file and {@code src}
 * from a PROXY header, loaded and compiled as {@code scripts/balancer -f} does, in front of real nginx
 * backends; then the same file run by Debian's haproxy, which must send every request to the same
 * backend.
 */
class ContentSwitchingIT {

    private static final List<String> BACKENDS = List.of("web", "api", "static", "admin", "sorry");

    private static final String CONFIG = """
            global
              nbthread 1
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend fe
              bind 127.0.0.1:%1$d
              bind 127.0.0.1:%2$d accept-proxy
              acl host_api hdr(host) -i api.example.com
              acl is_static path_beg /static/
              acl is_static path_end .css
              acl is_post method POST
              acl blocked src -f %3$s
              acl beta req.cook(beta) -m str yes
              use_backend sorry if blocked
              use_backend api if host_api || { path_beg /api/ } or beta
              use_backend static if is_static !is_post
              use_backend admin if { hdr_beg(host) -i admin. } { src 127.0.0.0/8 }
              use_backend web unless { hdr_cnt(host) eq 1 }
              default_backend web
            backend web
              server s %4$s
            backend api
              server s %5$s
            backend static
              server s %6$s
            backend admin
              server s %7$s
            backend sorry
              server s %8$s
            """;

    /** A request, the PROXY v1 source it comes from (null: straight to the plain bind), and where it must go. */
    private record Case(String name, String proxySource, String request, String backend) {
    }

    private static final List<Case> CASES = List.of(
            new Case("plain host", null, get("/", "www.example.com"), "web"),
            new Case("hdr -i", null, get("/", "API.Example.COM"), "api"),
            new Case("anonymous path_beg", null, get("/api/users", "www.example.com"), "api"),
            new Case("or cookie", null, "GET / HTTP/1.1\r\nHost: www.example.com\r\nCookie: a=1; beta=yes\r\n"
                    + "Connection: close\r\n\r\n", "api"),
            new Case("path_beg acl line", null, get("/static/app.js", "www.example.com"), "static"),
            new Case("second line of an acl", null, get("/site.css", "www.example.com"), "static"),
            new Case("negated acl", null, "POST /static/form HTTP/1.1\r\nHost: www.example.com\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n", "web"),
            new Case("two anonymous acls", null, get("/", "admin.example.com"), "admin"),
            new Case("unless", null, "GET / HTTP/1.0\r\n\r\n", "web"),
            new Case("src from proxy in -f file", "198.51.100.7", get("/api/x", "api.example.com"), "sorry"),
            new Case("src from proxy in -f cidr", "192.0.2.77", get("/", "www.example.com"), "sorry"),
            new Case("src from proxy not local", "203.0.113.5", get("/", "admin.example.com"), "web"),
            new Case("src from proxy passes", "203.0.113.5", get("/static/a", "www.example.com"), "static"));

    private static Path dir;
    private static final List<Nginx> servers = new ArrayList<>();

    @BeforeAll
    static void startBackends() throws IOException {
        dir = Files.createTempDirectory("sluice-switching-");
        Files.writeString(dir.resolve("blocked.lst"), "# refused sources\n192.0.2.0/24\n198.51.100.7\n");
        for (String name : BACKENDS) {
            servers.add(new Nginx(name));
        }
    }

    @AfterAll
    static void stopBackends() throws IOException {
        servers.forEach(Nginx::close);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static String get(String path, String host) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }

    /** Writes a configuration with fresh ports; returns its path and the two bind addresses. */
    private static Path config(String name, int plainPort, int proxyPort) throws IOException {
        Object[] args = new Object[8];
        args[0] = plainPort;
        args[1] = proxyPort;
        args[2] = dir.resolve("blocked.lst");
        for (int i = 0; i < BACKENDS.size(); i++) {
            InetSocketAddress a = servers.get(i).address();
            args[3 + i] = a.getHostString() + ":" + a.getPort();
        }
        Path file = dir.resolve(name + ".cfg");
        Files.writeString(file, CONFIG.formatted(args));
        return file;
    }

    private static RunningBalancer start(Path config) {
        LoadResult loaded = ConfigLoader.load(List.of(config));
        assertTrue(loaded.isValid(), loaded.render());
        return Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    /** The name of the nginx that answered, the first word of its body. */
    private static String backendOf(int plainPort, int proxyPort, Case c) {
        boolean proxied = c.proxySource() != null;
        try (RawHttp http = RawHttp.to(new InetSocketAddress("127.0.0.1", proxied ? proxyPort : plainPort))) {
            if (proxied) {
                http.send("PROXY TCP4 " + c.proxySource() + " 127.0.0.1 40000 " + proxyPort + "\r\n");
            }
            RawHttp.Response response = http.send(c.request()).read();
            assertEquals(200, response.status(), c.name());
            return response.text().split(" ", 2)[0];
        }
    }

    @Test
    void everyRequestReachesTheBackendItsRulesName() throws IOException {
        int plain = Ports.free();
        int proxy = Ports.free();
        try (RunningBalancer balancer = start(config("sluice", plain, proxy))) {
            assertEquals(2, balancer.boundAddresses().size());
            for (Case c : CASES) {
                assertEquals(c.backend(), backendOf(plain, proxy, c), c.name());
            }
        }
    }

    @Test
    void eachRequestOfAKeptAliveConnectionIsRoutedOnItsOwn() throws IOException {
        int plain = Ports.free();
        try (RunningBalancer balancer = start(config("keepalive", plain, Ports.free()));
             RawHttp http = RawHttp.to(new InetSocketAddress("127.0.0.1", plain))) {
            assertEquals(2, balancer.boundAddresses().size());
            List<String> seen = new ArrayList<>();
            for (String path : List.of("/", "/api/a", "/static/b", "/c")) {
                String text = http.send("GET " + path + " HTTP/1.1\r\nHost: www.example.com\r\n\r\n").read().text();
                seen.add(text.split(" ", 2)[0]);
            }
            assertEquals(List.of("web", "api", "static", "web"), seen);
        }
    }

    /** In tcp mode the rules run once per connection, after the PROXY header, on layer-4 facts. */
    @Test
    void aTcpFrontendChoosesItsBackendFromThePeerInTheProxyHeader() throws IOException {
        int port = Ports.free();
        Path file = dir.resolve("tcp.cfg");
        Files.writeString(file, """
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                  acl partner src 198.51.100.0/24
                  use_backend api if partner { dst_port %d }
                  default_backend web
                backend web
                  server s %s
                backend api
                  server s %s
                """.formatted(port, port, hostPort(servers.get(0)), hostPort(servers.get(1))));
        try (RunningBalancer balancer = start(file)) {
            assertEquals(1, balancer.boundAddresses().size());
            assertEquals("api", backendOf(0, port, new Case("partner", "198.51.100.9", get("/", "x"), "api")));
            assertEquals("web", backendOf(0, port, new Case("other", "203.0.113.9", get("/", "x"), "web")));
        }
    }

    private static String hostPort(Nginx nginx) {
        return nginx.address().getHostString() + ":" + nginx.address().getPort();
    }

    @Test
    void haproxySendsEveryRequestToTheSameBackend() throws IOException {
        int plain = Ports.free();
        int proxy = Ports.free();
        Path file = config("haproxy", plain, proxy);
        List<String> theirs = new ArrayList<>();
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", file.toString()))) {
            haproxy.awaitListening("127.0.0.1", plain, Duration.ofSeconds(10));
            haproxy.awaitListening("127.0.0.1", proxy, Duration.ofSeconds(10));
            for (Case c : CASES) {
                theirs.add(c.name() + " -> " + backendOf(plain, proxy, c));
            }
        }
        int ourPlain = Ports.free();
        int ourProxy = Ports.free();
        List<String> ours = new ArrayList<>();
        try (RunningBalancer balancer = start(config("ours", ourPlain, ourProxy))) {
            assertEquals(2, balancer.boundAddresses().size());
            for (Case c : CASES) {
                ours.add(c.name() + " -> " + backendOf(ourPlain, ourProxy, c));
            }
        }
        assertEquals(theirs, ours);
    }
}
