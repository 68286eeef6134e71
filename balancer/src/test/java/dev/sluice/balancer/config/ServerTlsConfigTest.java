package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ServerTls;
import dev.sluice.balancer.runtime.ServerTls.TlsVersion;
import dev.sluice.balancer.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl} and its family on {@code server}/{@code default-server} lines and the {@code global}
 * defaults they start from: each keyword taken as HAProxy 2.6 takes it, and refused at its file:line
 * where HAProxy refuses it (messages checked against haproxy -c).
 */
class ServerTlsConfigTest {
    @TempDir
    static Path dir;
    static TestPki.Issued ca;
    static TestPki.Issued client;

    private static final String DEFAULTS = """
            defaults
                mode http
                timeout connect 1s
                timeout client 1s
                timeout server 1s
            """;
    private static final String FRONT = """
            frontend f
                bind 127.0.0.1:18999
                default_backend b
            """;

    @BeforeAll
    static void files() {
        TestPki pki = new TestPki(dir);
        ca = pki.authority("ca", "Test CA");
        client = pki.issue("client", ca, "CN=client");
    }

    private static LoadResult parse(String global, String backendBody) {
        return ConfigLoader.parse("t.cfg", "global\n" + global + DEFAULTS + "backend b\n" + backendBody + FRONT,
                Map.of());
    }

    private static ServerTls tls(String global, String backendBody) {
        LoadResult result = parse(global, backendBody);
        assertTrue(result.isValid(), result.render());
        BackendPlan plan = Compiler.compile(result.config().orElseThrow()).plan().backend("b");
        return plan.servers().get(plan.servers().size() - 1).tls();
    }

    private static ServerTls tls(String serverOptions) {
        return tls("", "    server s 127.0.0.1:443 " + serverOptions + "\n");
    }

    /** The rendered alert of a refused config; the server line is line {@code 8 + global lines}. */
    private static String refusal(String global, String serverOptions) {
        LoadResult result = parse(global, "    server s 127.0.0.1:443 " + serverOptions + "\n");
        assertFalse(result.isValid(), "accepted: " + serverOptions);
        return result.render();
    }

    private static String refusal(String serverOptions) {
        return refusal("", serverOptions);
    }

    @Test
    void aServerIsReachedInClearUnlessSsl() {
        assertEquals(ServerTls.NONE, tls(""));
        assertFalse(tls("").used());
        // verify and ca-file without ssl are kept but unused, as in HAProxy ("verify required" alone loads).
        assertFalse(tls("verify required").used());
    }

    @Test
    void sslWithVerifyNone() {
        ServerTls tls = tls("ssl verify none");
        assertTrue(tls.enabled());
        assertFalse(tls.verify());
        assertEquals(TlsVersion.TLS1_2, tls.minVersion());
        assertEquals(TlsVersion.TLS1_3, tls.maxVersion());
        assertTrue(tls.reuse());
        assertFalse(tls.check().enabled(), "no check: no check TLS");
    }

    @Test
    void sslAloneIsRefusedAsHaproxyDoesBecauseVerifyIsRequiredByDefault() {
        String alert = refusal("ssl");
        assertTrue(alert.contains("t.cfg:8: 'server b/s' : verify is enabled by default but no CA file specified"),
                alert);
        // ssl-server-verify none in global lifts it.
        assertFalse(tls("    ssl-server-verify none\n", "    server s 127.0.0.1:443 ssl\n").verify());
        // and a server can still ask for it.
        assertTrue(refusal("    ssl-server-verify none\n", "ssl verify required").contains("no CA file"));
    }

    @Test
    void caFileWithCaBase() {
        ServerTls tls = tls("    ca-base " + dir + "\n", "    server s 127.0.0.1:443 ssl verify required ca-file ca.crt\n");
        assertTrue(tls.verify());
        assertEquals(Optional.of(dir.resolve("ca.crt")), tls.caFile());
        assertEquals(Optional.of(ca.crt()), tls("ssl verify required ca-file " + ca.crt()).caFile());
        String missing = refusal("ssl ca-file " + dir.resolve("none.pem"));
        assertTrue(missing.contains("t.cfg:8: 'server b/s': 'ca-file' : unable to load '" + dir.resolve("none.pem")),
                missing);
    }

    @Test
    void aCaFileWithoutCertificatesIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        String alert = refusal("ssl verify required ca-file " + empty);
        assertTrue(alert.contains("t.cfg:8: 'server b/s' : unable to load"), alert);
    }

    @Test
    void clientCertificateWithCrtBase() {
        ServerTls tls = tls("    crt-base " + dir + "\n", "    server s 127.0.0.1:443 ssl verify none crt client.pem\n");
        assertEquals(Optional.of(client.pem()), tls.crt());
        String missing = refusal("ssl verify none crt " + dir.resolve("nobody.pem"));
        assertTrue(missing.contains("t.cfg:8: 'server b/s': 'crt' : unable to load"), missing);
        // a certificate without its key cannot be used
        String keyless = refusal("ssl verify none crt " + client.crt());
        assertTrue(keyless.contains("t.cfg:8: 'server b/s' : unable to load SSL certificate and key"), keyless);
    }

    @Test
    void sniIsASampleExpressionCheckedAtItsLine() {
        assertEquals(Optional.of("req.hdr(host)"), tls("ssl verify none sni req.hdr(host)").sni());
        assertEquals(Optional.of("str(example.com)"), tls("ssl verify none sni str(example.com)").sni());
        String bad = refusal("ssl verify none sni bogus()");
        assertTrue(bad.contains("t.cfg:8: 'server b/s' : 'sni' : ") && bad.contains("bogus"), bad);
    }

    @Test
    void verifyhostAndVerifyValues() {
        assertEquals(Optional.of("backend.test"), tls("ssl verify none verifyhost backend.test").verifyHost());
        String bad = refusal("ssl verify sometimes");
        assertTrue(bad.contains("t.cfg:8: 'server b/s': 'verify' expects 'none' or 'required' (got 'sometimes')"),
                bad);
    }

    @Test
    void versions() {
        ServerTls tls = tls("ssl verify none ssl-max-ver TLSv1.2");
        assertEquals(TlsVersion.TLS1_2, tls.maxVersion());
        tls = tls("ssl verify none ssl-min-ver TLSv1.3");
        assertEquals(TlsVersion.TLS1_3, tls.minVersion());
        tls = tls("ssl verify none force-tlsv12");
        assertEquals(List.of(TlsVersion.TLS1_2, TlsVersion.TLS1_2), List.of(tls.minVersion(), tls.maxVersion()));
        tls = tls("ssl verify none force-tlsv13");
        assertEquals(List.of(TlsVersion.TLS1_3, TlsVersion.TLS1_3), List.of(tls.minVersion(), tls.maxVersion()));
        assertEquals(TlsVersion.TLS1_2, tls("ssl verify none no-tlsv13").maxVersion());
        String unknown = refusal("ssl verify none ssl-min-ver TLSv9");
        assertTrue(unknown.contains("t.cfg:8: 'server b/s': 'TLSv9' : unknown ssl/tls version"), unknown);
        String inverted = refusal("ssl verify none ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2");
        assertTrue(inverted.contains("'ssl-min-ver' TLSv1.3 is above 'ssl-max-ver' TLSv1.2"), inverted);
        String none = refusal("ssl verify none force-tlsv12 no-tlsv12");
        assertTrue(none.contains("'no-tlsv12' leaves"), none);
    }

    @Test
    void ciphersAndCiphersuites() {
        assertEquals(Optional.of("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"),
                tls("ssl verify none ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256").ciphers());
        assertEquals(Optional.of("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384"),
                tls("ssl verify none ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
                        + "TLS_AES_256_GCM_SHA384").ciphersuites());
        String ciphers = refusal("ssl verify none ciphers FOO");
        assertTrue(ciphers.contains("t.cfg:8: 'server b/s' : unable to set SSL cipher list to 'FOO'"), ciphers);
        String suites = refusal("ssl verify none ciphersuites BAR");
        assertTrue(suites.contains("t.cfg:8: 'server b/s' : unable to set TLS 1.3 cipher suites to 'BAR'"), suites);
        // BoringSSL's client offers its three TLS 1.3 suites whatever it is told: a narrower list is refused
        String narrower = refusal("ssl verify none ciphersuites TLS_AES_128_GCM_SHA256");
        assertTrue(narrower.contains("'ciphersuites TLS_AES_128_GCM_SHA256' is not supported yet"), narrower);
        String alias = refusal("ssl verify none ciphers HIGH:!aNULL");
        assertTrue(alias.contains("unable to set SSL cipher list to 'HIGH:!aNULL'"), alias);
    }

    @Test
    void globalServerDefaultsApplyToEachServer() {
        String global = """
                    ssl-default-server-ciphers ECDHE-ECDSA-AES256-GCM-SHA384
                    ssl-default-server-ciphersuites TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256
                    ssl-default-server-options no-tlsv13 no-tls-tickets
                """;
        ServerTls tls = tls(global, "    server s 127.0.0.1:443 ssl verify none\n");
        assertEquals(Optional.of("ECDHE-ECDSA-AES256-GCM-SHA384"), tls.ciphers());
        assertEquals(Optional.of("TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"),
                tls.ciphersuites());
        assertEquals(TlsVersion.TLS1_2, tls.maxVersion());
        // a server's own keywords come after the defaults
        ServerTls own = tls(global, "    server s 127.0.0.1:443 ssl verify none ciphers AES128-SHA ssl-max-ver TLSv1.3\n");
        assertEquals(Optional.of("AES128-SHA"), own.ciphers());
        assertEquals(TlsVersion.TLS1_3, own.maxVersion());
        String bad = refusal("    ssl-default-server-ciphers NOPE\n", "ssl verify none");
        assertTrue(bad.contains("t.cfg:9: 'server b/s' : unable to set SSL cipher list to 'NOPE'"), bad);
        // no-tls-tickets: BoringSSL's client has no such switch; a warning at the global line, refused on a server
        LoadResult warned = parse("    ssl-default-server-options no-tls-tickets\n", "    server s 127.0.0.1:443\n");
        assertTrue(warned.isValid(), warned.render());
        assertTrue(warned.render().contains("t.cfg:2: 'no-tls-tickets' in 'ssl-default-server-options' has no effect"),
                warned.render());
        assertTrue(refusal("ssl verify none no-tls-tickets").contains("'no-tls-tickets' is not supported yet"));
    }

    @Test
    void alpnAndReuse() {
        ServerTls tls = tls("ssl verify none alpn http/1.1 no-ssl-reuse");
        assertEquals(List.of("http/1.1"), tls.alpn());
        assertFalse(tls.onlyH2());
        assertFalse(tls.reuse());
        assertTrue(tls("ssl verify none alpn h2").onlyH2());
        // h2 or http/1.1 as the server chooses: not in an HTTP backend yet, fine with proto h2 or in mode tcp
        String either = refusal("ssl verify none alpn h2,http/1.1");
        assertTrue(either.contains("t.cfg:8: 'server b/s' : 'alpn h2,http/1.1' is not supported yet in an HTTP backend"),
                either);
        assertEquals(List.of("h2", "http/1.1"), tls("ssl verify none alpn h2,http/1.1 proto h2").alpn());
        LoadResult tcp = ConfigLoader.parse("t.cfg", "defaults\n    mode tcp\n    timeout connect 1s\n"
                + "    timeout client 1s\n    timeout server 1s\nlisten l\n    bind 127.0.0.1:18999\n"
                + "    server s 127.0.0.1:443 ssl verify none alpn h2,http/1.1\n", Map.of());
        assertTrue(tcp.isValid(), tcp.render());
        assertEquals(List.of("h2", "http/1.1"), Compiler.compile(tcp.config().orElseThrow()).plan().backend("l")
                .servers().getFirst().tls().alpn());
        String empty = refusal("ssl verify none alpn h2,,http/1.1");
        assertTrue(empty.contains("t.cfg:8: 'server b/s': 'alpn' : invalid protocol name ''"), empty);
    }

    @Test
    void healthChecksOverTls() {
        ServerTls.Check implied = tls("check ssl verify none").check();
        assertTrue(implied.enabled(), "ssl on the server's own port: the checks are TLS too");
        assertFalse(tls("check port 8443 ssl verify none").check().enabled(), "another port: clear");
        assertTrue(tls("check port 8443 ssl verify none check-ssl").check().enabled());
        assertFalse(tls("check ssl verify none no-check-ssl").check().enabled());
        ServerTls.Check explicit = tls("check check-ssl verify none check-sni health.test check-alpn http/1.1").check();
        assertTrue(explicit.enabled());
        assertEquals(Optional.of("health.test"), explicit.sni());
        assertEquals(List.of("http/1.1"), explicit.alpn());
        assertTrue(refusal("check check-ssl").contains("no CA file"));
    }

    @Test
    void defaultServerIsInheritedAndOverridable() {
        ServerTls tls = tls("", """
                    default-server ssl verify none check-ssl alpn h2
                    server s 127.0.0.1:443 check no-ssl
                """);
        assertFalse(tls.enabled());
        assertTrue(tls.check().enabled(), "check-ssl from default-server");
        assertEquals(List.of("h2"), tls.alpn());
        // default-server itself is not checked for a CA file, the servers are
        assertTrue(tls("", "    default-server ssl\n    server s 127.0.0.1:443 verify none\n").enabled());
    }

    @Test
    void sslWithAProxyHeaderIsNotSupportedYet() {
        String alert = refusal("ssl verify none send-proxy-v2");
        assertTrue(alert.contains("'ssl' with 'send-proxy'/'send-proxy-v2' is not supported yet"), alert);
    }

    @Test
    void npnAndBindTlsStayRefused() {
        assertTrue(refusal("ssl verify none npn http/1.1").contains("'npn' is not supported yet"));
        LoadResult bind = ConfigLoader.parse("t.cfg", DEFAULTS + "frontend f\n    bind 127.0.0.1:443 ssl crt x.pem\n"
                + "    default_backend b\nbackend b\n    server s 127.0.0.1:80\n", Map.of());
        assertFalse(bind.isValid());
        assertTrue(bind.render().contains("t.cfg:7: 'bind 127.0.0.1:443': 'ssl' is refused"), bind.render());
    }
}
