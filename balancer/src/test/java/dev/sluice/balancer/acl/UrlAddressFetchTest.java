package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code url_ip} and {@code url_port}: only an absolute http:// URI with an IPv4 host gives a sample. */
class UrlAddressFetchTest {

    private static String value(String expression, String uri) {
        return new AclCompiler(Path.of("."), ProxyCatalog.ANY).sampleExpression(expression, "fe")
                .evaluateString(TestRequest.get(uri));
    }

    @Test
    void anAbsoluteUriWithAnIpv4HostGivesItsAddressAndPort() {
        assertEquals("192.0.2.7", value("url_ip", "http://192.0.2.7:8080/x?y"));
        assertEquals("8080", value("url_port", "http://192.0.2.7:8080/x?y"));
        assertEquals("10.1.2.3", value("url_ip", "HTTP://10.1.2.3/"));
        assertEquals("80", value("url_port", "http://10.1.2.3/"), "no port: 80");
        assertEquals("80", value("url_port", "http://10.1.2.3?q"));
        assertEquals("0", value("url_port", "http://10.1.2.3:/"), "an empty port reads as 0, as HAProxy's");
    }

    @Test
    void anythingElseGivesNoSample() {
        for (String uri : new String[] {"/x", "*", "https://192.0.2.7/", "http://example.com/", "http://[::1]:80/",
                "http://1.2.3/", "http://1.2.3.4.5/", "http://256.1.1.1/", "http://", "ftp://1.2.3.4/"}) {
            assertNull(value("url_ip", uri), uri);
            assertNull(value("url_port", uri), uri);
        }
        assertNull(value("url_port", "http://1.2.3.4:99999/"), "a port above 65535");
    }

    @Test
    void aclsMatchTheAddressByNetworkAndThePortByRange() {
        TestRequest r = TestRequest.get("http://192.168.0.9:8443/");
        assertTrue(matches("url_ip 192.168.0.0/24", r));
        assertFalse(matches("url_ip 10.0.0.0/8", r));
        assertTrue(matches("url_port 8000:9000", r));
        assertFalse(matches("url_port 80", r));
        assertFalse(matches("url_ip 0.0.0.0/0", TestRequest.get("/relative")));
    }
}
