package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.EchoServer;
import dev.sluice.balancer.support.Nginx;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 through the real chain: curl and h2load speak TLS + h2 to {@code scripts/terminator}
 * (ALPN {@code h2,http/1.1}, PROXY v2 with the ALPN TLV) → the balancer ({@code accept-proxy})
 * → nginx over HTTP/1.1; and the same rules on a {@code proto h2} bind. Routing by
 * {@code :authority} and path goes through the same ACLs as HTTP/1.1.
 */
class Http2ChainIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final String CONFIG = """
            global
              nbthread 1
              tune.h2.max-concurrent-streams 100
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
              option forwardfor
            frontend fe
              bind 127.0.0.1:%1$d accept-proxy
              bind 127.0.0.1:%2$d proto h2
              use_backend api if { hdr_beg(host) -i api. } or { path_beg /api/ }
              use_backend echo if { path_beg /echo }
              default_backend web
            backend web
              server s %3$s
            backend api
              server s %4$s
            backend echo
              server s %5$s
            """;

    @TempDir
    static Path dir;
    private static Nginx web;
    private static Nginx api;
    private static EchoServer echo;
    private static RunningBalancer balancer;
    private static ExternalProcess terminator;
    private static int tlsPort;
    private static int h2cPort;

    @BeforeAll
    static void start() throws Exception {
        web = new Nginx("web");
        api = new Nginx("api");
        echo = new EchoServer();
        int proxyPort = Ports.free();
        h2cPort = Ports.free();
        Path config = dir.resolve("h2.cfg");
        Files.writeString(config, CONFIG.formatted(proxyPort, h2cPort, hostPort(web.address()),
                hostPort(api.address()), hostPort(echo.address())));
        LoadResult loaded = ConfigLoader.load(List.of(config));
        balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        ExternalProcess.run("openssl", List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost", "-keyout",
                key.toString(), "-out", cert.toString()), WAIT).assertExit(0);
        Path pem = dir.resolve("chain.pem");
        Files.writeString(pem, Files.readString(key) + Files.readString(cert));
        tlsPort = Ports.free();
        terminator = Sluice.terminator("--frontend=[127.0.0.1]:" + tlsPort, "--backend=[127.0.0.1]:" + proxyPort,
                "--write-proxy-v2", "--alpn-protos=h2,http/1.1", "--workers=1", pem.toString());
        terminator.awaitListening("127.0.0.1", tlsPort, WAIT);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {terminator, balancer, echo, api, web}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static ExternalProcess.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "30"));
        command.addAll(List.of(args));
        return ExternalProcess.run("curl", command, WAIT).assertExit(0);
    }

    private static String tls(String host, String path) {
        return "https://" + host + ":" + tlsPort + path;
    }

    @Test
    void curlNegotiatesH2AtTheEdgeAndIsRoutedByAuthorityAndPath() {
        String resolve = "api.test:" + tlsPort + ":127.0.0.1";
        String byHost = curl("--http2", "--resolve", resolve, "-w", "|%{http_version}", tls("api.test", "/x"))
                .output();
        assertTrue(byHost.startsWith("api GET /x xff=127.0.0.1 ") && byHost.endsWith("|2"), byHost);
        String byPath = curl("--http2", "-w", "|%{http_version}", tls("127.0.0.1", "/api/y")).output();
        assertTrue(byPath.startsWith("api GET /api/y ") && byPath.endsWith("|2"), byPath);
        String fallback = curl("--http2", "-w", "|%{http_version}", tls("127.0.0.1", "/z")).output();
        assertTrue(fallback.startsWith("web GET /z ") && fallback.endsWith("|2"), fallback);
    }

    @Test
    void http11ClientsStillGetHttp11ThroughTheSameChain() {
        String result = curl("--http1.1", "-w", "|%{http_version}", tls("127.0.0.1", "/one")).output();
        assertTrue(result.startsWith("web GET /one ") && result.endsWith("|1.1"), result);
    }

    @Test
    void priorKnowledgeBindRoutesTheSameWay() {
        String resolve = "api.test:" + h2cPort + ":127.0.0.1";
        String result = curl("--http2-prior-knowledge", "--resolve", resolve, "-w", "|%{http_version}",
                "http://api.test:" + h2cPort + "/p").output();
        assertTrue(result.startsWith("api GET /p ") && result.endsWith("|2"), result);
    }

    @Test
    void h2loadThroughTheChainHasNoFailure() {
        ExternalProcess.Result result = ExternalProcess.run("h2load", List.of("h2load", "-n", "2000", "-c", "4",
                "-m", "100", tls("127.0.0.1", "/")), WAIT).assertExit(0);
        assertTrue(result.output().contains("2000 succeeded, 0 failed, 0 errored"), result.output());
        assertTrue(result.output().contains("Application protocol: h2"), result.output());
    }

    @Test
    void tenMegabytesBothWaysThroughTheChain() throws Exception {
        byte[] body = new byte[TEN_MB];
        new Random(7).nextBytes(body);
        Path upload = dir.resolve("up");
        Path download = dir.resolve("down");
        Files.write(upload, body);
        String version = curl("--http2", "--data-binary", "@" + upload, "-o", download.toString(),
                "-w", "%{http_version}", tls("127.0.0.1", "/echo")).output();
        assertTrue(version.equals("2"), version);
        assertArrayEquals(body, Files.readAllBytes(download));
    }
}
