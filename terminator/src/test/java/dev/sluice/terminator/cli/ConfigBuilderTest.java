package dev.sluice.terminator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.common.net.Endpoint;
import dev.sluice.terminator.config.ProxyMode;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.tls.PemSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBuilderTest {
    @TempDir
    Path dir;
    Path conf;
    Path pemA;
    Path pemB;

    @BeforeEach
    void files() throws Exception {
        conf = dir.resolve("hitch.conf");
        pemA = Files.writeString(dir.resolve("a.pem"), "not parsed here");
        pemB = Files.writeString(dir.resolve("b.pem"), "not parsed here");
    }

    private TerminatorConfig build(String file, Setting... flags) throws ConfigException {
        return new ConfigBuilder()
                .apply(HitchConfParser.parse(conf, file), ConfigBuilder.Layer.FILE)
                .apply(List.of(flags), ConfigBuilder.Layer.FLAGS)
                .build();
    }

    private static Setting flag(String key, String value) {
        return Setting.of(key, value, Origin.flag("--" + key));
    }

    private List<String> problems(String file, Setting... flags) {
        return assertThrows(ConfigException.class, () -> build(file, flags)).problems();
    }

    @Test
    void aWorkerServesMetricsOnThePortPlusItsIndexAndWritesNoPidFile() throws Exception {
        TerminatorConfig config = build("pem-file = \"" + pemA + "\"\n", flag("metrics", "[127.0.0.1]:9100"),
                flag("pidfile", dir.resolve("t.pid").toString()));
        assertEquals(Endpoint.parse("[127.0.0.1]:9100"), config.forWorker(0).metrics());
        assertEquals(Endpoint.parse("[127.0.0.1]:9101"), config.forWorker(1).metrics());
        assertEquals(null, config.forWorker(1).pidFile());
        assertEquals(config.frontends(), config.forWorker(1).frontends());
        assertEquals(null, build("pem-file = \"" + pemA + "\"\n").forWorker(3).metrics());
    }

    @Test
    void hitchDefaults() throws Exception {
        TerminatorConfig config = build("pem-file = \"" + pemA + "\"\n");
        assertEquals(List.of(Endpoint.parse("[*]:8443")), config.frontends().stream().map(f -> f.address()).toList());
        assertEquals(Endpoint.parse("[127.0.0.1]:8000"), config.backend());
        assertEquals(1, config.workers());
        assertEquals(100, config.backlog());
        assertEquals(Duration.ofSeconds(3600), config.keepalive());
        assertEquals(ProxyMode.NONE, config.proxyMode());
        assertTrue(config.proxyTlv());
        assertTrue(config.proxyAuthority());
        assertEquals(Duration.ofSeconds(30), config.backendConnectTimeout());
        assertEquals(Duration.ZERO, config.idleTimeout());
        assertEquals(1, config.logLevel());
        var tls = config.frontends().getFirst().tls();
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), tls.protocols());
        assertEquals(List.of(new PemSource(pemA, null)), tls.pems());
        assertNull(tls.ciphers());
        assertEquals(Duration.ofSeconds(4), tls.ocspConnectTimeout());
    }

    @Test
    void fullFileWithBlocks() throws Exception {
        TerminatorConfig config = build("""
                frontend = {
                    host = "127.0.0.1"
                    port = "8443"
                    pem-file = "%s"
                    tls-protos = TLSv1.3
                    ciphers = "ECDHE+AESGCM"
                }
                frontend = "[::1]:9443"
                pem-file = { cert = "%s" private-key = "%s" }
                backend = "/run/varnish.sock"
                write-proxy-v2 = on
                alpn-protos = "h2, http/1.1"
                ecdh-curve = "X25519:prime256v1"
                ssl-handshake-timeout = 5
                ocsp-connect-tmo = 4.5
                idle-timeout = 60
                """.formatted(pemA, pemB, pemA));
        assertEquals(2, config.frontends().size());
        var first = config.frontends().get(0);
        assertEquals(new Endpoint.Inet("127.0.0.1", 8443), first.address());
        assertEquals(List.of(new PemSource(pemA, null)), first.tls().pems());
        assertEquals(List.of("TLSv1.3"), first.tls().protocols());
        assertEquals("ECDHE+AESGCM", first.tls().ciphers());
        var second = config.frontends().get(1);
        assertEquals(new Endpoint.Inet("::1", 9443), second.address());
        assertEquals(List.of(new PemSource(pemB, pemA)), second.tls().pems());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), second.tls().protocols());
        assertEquals(new Endpoint.Unix(Path.of("/run/varnish.sock")), config.backend());
        assertEquals(ProxyMode.PROXY_V2, config.proxyMode());
        assertEquals(List.of("h2", "http/1.1"), second.tls().alpnProtocols());
        assertEquals(List.of("X25519", "prime256v1"), second.tls().curves());
        assertEquals(Duration.ofSeconds(5), config.handshakeTimeout());
        assertEquals(Duration.ofSeconds(5), second.tls().handshakeTimeout());
        assertEquals(Duration.ofMillis(4500), second.tls().ocspConnectTimeout());
        assertEquals(Duration.ofSeconds(60), config.idleTimeout());
    }

    @Test
    void inlineFrontendCertificate() throws Exception {
        TerminatorConfig config = build("frontend = \"[*]:443+" + pemB + "\"\npem-file = \"" + pemA + "\"\n");
        assertEquals(List.of(new PemSource(pemB, null)), config.frontends().getFirst().tls().pems());
    }

    @Test
    void lastPemFileIsTheDefaultAsInHitch() throws Exception {
        TerminatorConfig config = build("pem-file = \"" + pemA + "\"\npem-file = \"" + pemB + "\"\n");
        assertEquals(List.of(new PemSource(pemB, null), new PemSource(pemA, null)),
                     config.frontends().getFirst().tls().pems());
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        TerminatorConfig config = build("pem-file = \"" + pemA + "\"\nbacklog = 10\nwrite-proxy-v2 = on\n",
                flag("backlog", "20"), flag("write-proxy-v1", "on"));
        assertEquals(20, config.backlog());
        assertEquals(ProxyMode.PROXY_V1, config.proxyMode());
        TerminatorConfig off = build("pem-file = \"" + pemA + "\"\nwrite-proxy-v2 = on\n", flag("write-proxy-v2", "off"));
        assertEquals(ProxyMode.NONE, off.proxyMode());
        assertEquals(ProxyMode.PROXY_V2, build("pem-file = \"" + pemA + "\"\n", flag("write-proxy", "on")).proxyMode());
    }

    @Test
    void mutuallyExclusiveProxyModes() {
        assertEquals(List.of(conf + ":3: write-ip, write-proxy-v1, write-proxy-v2 (write-proxy) and proxy-proxy are"
                        + " mutually exclusive (another is on at " + conf + ":2)"),
                problems("pem-file = \"" + pemA + "\"\nwrite-ip = on\nwrite-proxy-v2 = on\n"));
    }

    @Test
    void everyProblemIsReportedWithItsPlace() {
        List<String> problems = problems("""
                pem-file = "/nonexistent.pem"
                backend = "127.0.0.1:8000"
                bakclog = 5
                tls-protos = TLSv1.1
                keepalive = 0
                daemon = on
                chroot = "/var/empty"
                host = "*"
                workers = 1
                workers = 2
                """, flag("ssl-handshake-timeout", "soon"));
        assertEquals(List.of(
                conf + ":3: unknown key 'bakclog' (did you mean 'backlog'?)",
                conf + ":6: 'daemon' is not supported: sluice-terminator runs in the foreground only; let systemd"
                        + " (Type=notify) or another supervisor manage it [daemon]",
                conf + ":7: 'chroot' is not supported: chroot is not supported because the JVM loads classes and"
                        + " native libraries after start; use systemd sandboxing (RootDirectory=, ProtectSystem=)"
                        + " instead [chroot]",
                conf + ":8: 'host' is not allowed at the top level (it belongs in a frontend block)",
                conf + ":10: 'workers' is set twice (first at " + conf + ":9)",
                conf + ":2: backend: '127.0.0.1:8000': expected [HOST]:PORT (the brackets are required, e.g. [*]:443,"
                        + " [127.0.0.1]:8000, [::1]:8080) or a unix socket path",
                conf + ":5: keepalive: '0' must be more than 0 seconds",
                "--ssl-handshake-timeout: ssl-handshake-timeout: 'soon' is not a number of seconds",
                conf + ":1: '/nonexistent.pem' is not a file",
                "default frontend: no certificate for frontend [*]:8443: give pem-file (or a PEM argument, or"
                        + " [HOST]:PORT+CERT)",
                conf + ":4: tls-protos: TLSv1.1 is not offered: it is obsolete and insecure (RFC 8996); use TLSv1.2"
                        + " and TLSv1.3"), problems);
    }

    @Test
    void harmlessValuesOfUnsupportedOptionsPass() throws Exception {
        TerminatorConfig config = build("pem-file = \"" + pemA + "\"\ndaemon = off\nbackend-refresh = 0\nsyslog = off\n");
        assertFalse(config.frontends().isEmpty());
    }

    @Test
    void workersAreBounded() throws Exception {
        assertEquals(4, build("pem-file = \"" + pemA + "\"\nworkers = 4\n").workers());
        List<String> problems = problems("pem-file = \"" + pemA + "\"\nworkers = 5000\n");
        assertEquals(1, problems.size());
        assertTrue(problems.getFirst().startsWith(conf + ":2: workers = 5000 is more than 1024"), problems.toString());
    }

    @Test
    void frontendBlockNeedsPortAndKnownKeys() {
        assertEquals(List.of(conf + ":1: 'backlog' is not allowed in a frontend block (it belongs at the top level)",
                             conf + ":1: frontend block without 'port'"),
                problems("frontend = { host = \"*\" backlog = 3 pem-file = \"" + pemA + "\" }\n"));
    }
}
