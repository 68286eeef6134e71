package dev.sluice.balancer.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.TestPki;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The names a server certificate must carry for {@code verifyhost} or the SNI sent, as HAProxy 2.6 matches them. */
class HostnameCheckTest {

    @Test
    void exactNamesIgnoreCase() {
        assertTrue(HostnameCheck.nameMatches("Backend.Test", "backend.test"));
        assertFalse(HostnameCheck.nameMatches("backend.test", "other.test"));
    }

    @Test
    void aWildcardIsOneWholeLeftmostLabel() {
        assertTrue(HostnameCheck.nameMatches("*.wild.test", "a.wild.test"));
        assertFalse(HostnameCheck.nameMatches("*.wild.test", "wild.test"));
        assertFalse(HostnameCheck.nameMatches("*.wild.test", "a.b.wild.test"));
        assertFalse(HostnameCheck.nameMatches("*.wild.test", ".wild.test"));
        assertFalse(HostnameCheck.nameMatches("a*.wild.test", "ab.wild.test"), "only a whole-label wildcard");
    }

    @Test
    void alternativeNamesThenTheCommonName(@TempDir Path dir) {
        TestPki pki = new TestPki(dir);
        TestPki.Issued ca = pki.authority("ca", "Test CA");
        TestPki.Issued withNames = pki.issue("s", ca, "CN=cn.test", "backend.test", "*.wild.test");
        assertTrue(HostnameCheck.matches(withNames.certificate(), "backend.test"));
        assertTrue(HostnameCheck.matches(withNames.certificate(), "x.wild.test"));
        assertTrue(HostnameCheck.matches(withNames.certificate(), "cn.test"), "HAProxy also looks at the CN");
        assertFalse(HostnameCheck.matches(withNames.certificate(), "nomatch.test"));
        TestPki.Issued cnOnly = pki.issue("c", ca, "CN=only.test,O=Sluice");
        assertTrue(HostnameCheck.matches(cnOnly.certificate(), "ONLY.test"));
        assertFalse(HostnameCheck.matches(cnOnly.certificate(), "Sluice"));
    }
}
