package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS defaults of {@code global}: checked as HAProxy checks them. Those of binds are then accepted
 * with one notice each, because only {@code ssl} binds (refused here) would use them; those of servers
 * are kept for the servers' TLS (see ServerTlsConfigTest) without a notice.
 */
class GlobalTlsDefaultsTest {
    private static final String NOTICE = "accepted: it applies only to 'ssl' binds, which "
            + "sluice-balancer does not have (TLS from clients ends in sluice-terminator)";
    private static LoadResult load(String line) {
        return GlobalSection.load(line);
    }

    private static void accepted(String line) {
        LoadResult result = load(line);
        assertTrue(result.isValid(), result.render());
        List<String> notices = result.diagnostics().stream()
                .filter(d -> d.severity() == Diagnostic.Severity.NOTICE).map(Diagnostic::toString).toList();
        String keyword = line.strip().split(" ")[0];
        assertEquals(List.of("[NOTICE] t.cfg:2: '" + keyword + "' " + NOTICE), notices);
    }

    private static void kept(String line) {
        LoadResult result = load(line);
        assertTrue(result.isValid(), result.render());
        assertEquals(List.of(), result.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    private static String alert(String line) {
        return GlobalSection.alert(line);
    }

    @Test
    void debiansLinesAreAcceptedWithANotice() {
        kept("    ca-base /etc/ssl/certs");
        kept("    crt-base /etc/ssl/private");
        accepted("    ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");
        accepted("    ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384");
        accepted("    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets");
    }

    @Test
    void theOtherDefaultsToo(@TempDir Path dir) throws Exception {
        kept("    ssl-default-server-ciphers HIGH");
        kept("    ssl-default-server-ciphersuites TLS_AES_128_GCM_SHA256");
        kept("    ssl-default-server-options no-sslv3 force-tlsv12 ssl-max-ver TLSv1.3");
        accepted("    ssl-default-bind-options prefer-client-ciphers no-tlsv10 no-tlsv11");
        accepted("    tune.ssl.default-dh-param 2048");
        accepted("    tune.ssl.cachesize 20000");
        accepted("    tune.ssl.lifetime 300s");
        accepted("    maxsslconn 100");
        kept("    ssl-server-verify none");
        kept("    ssl-server-verify required");
        Path dh = Files.writeString(dir.resolve("dh.pem"), "-----BEGIN DH PARAMETERS-----\n");
        accepted("    ssl-dh-param-file " + dh);
    }

    @Test
    void badArgumentsAreAlertsAtTheirLine(@TempDir Path dir) {
        assertTrue(alert("    ssl-default-bind-options no-sslv4").startsWith("[ALERT] t.cfg:2: unknown option "
                + "'no-sslv4' on 'ssl-default-bind-options'"));
        assertTrue(alert("    ssl-default-server-options prefer-client-ciphers")
                .contains("unknown option 'prefer-client-ciphers' on 'ssl-default-server-options'"));
        assertTrue(alert("    ssl-default-bind-options ssl-min-ver TLSv1.4")
                .contains("option 'ssl-min-ver' expects one of SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3 (got "
                        + "'TLSv1.4')"));
        assertTrue(alert("    ssl-default-bind-options ssl-max-ver").contains("option 'ssl-max-ver' expects one of"));
        assertTrue(alert("    ssl-default-bind-options").contains("expects at least 1 argument"));
        assertTrue(alert("    ca-base").contains("'ca-base' expects 1 argument"));
        assertTrue(alert("    tune.ssl.default-dh-param 512").startsWith("[ALERT] t.cfg:2: "
                + "'tune.ssl.default-dh-param' must be between 1024"));
        assertTrue(alert("    tune.ssl.lifetime soon").startsWith("[ALERT] t.cfg:2: 'soon' is not a valid time"));
        assertTrue(alert("    ssl-server-verify maybe").contains("'ssl-server-verify' expects 'none' or 'required'"));
        assertTrue(alert("    ssl-dh-param-file " + dir.resolve("none.pem")).contains("cannot read"));
    }
}
