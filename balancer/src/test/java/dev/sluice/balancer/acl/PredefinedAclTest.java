package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PredefinedAclTest {

    private static boolean is(String acl, TestRequest r) {
        return Acls.scope().condition(words("if " + acl)).test(r);
    }

    @Test
    void constants() {
        assertTrue(is("TRUE", TestRequest.get("/")));
        assertFalse(is("FALSE", TestRequest.get("/")));
    }

    @Test
    void methods() {
        assertTrue(is("METH_GET", TestRequest.get("/").method("GET")));
        assertTrue(is("METH_GET", TestRequest.get("/").method("HEAD")));
        assertFalse(is("METH_GET", TestRequest.get("/").method("POST")));
        for (String m : new String[] {"CONNECT", "DELETE", "HEAD", "OPTIONS", "POST", "PUT", "TRACE"}) {
            assertTrue(is("METH_" + m, TestRequest.get("/").method(m)), m);
            assertFalse(is("METH_" + m, TestRequest.get("/").method("GET")), m);
        }
    }

    @Test
    void versions() {
        TestRequest r = TestRequest.get("/");
        assertTrue(is("HTTP", r));
        assertTrue(is("HTTP_1.1", r));
        assertFalse(is("HTTP_1.0", r));
        r.version = "1.0";
        assertTrue(is("HTTP_1.0", r));
        r.version = "2.0";
        assertTrue(is("HTTP_2.0", r));
        r.version = null;
        assertFalse(is("HTTP", r));
    }

    @Test
    void urls() {
        assertTrue(is("HTTP_URL_ABS", TestRequest.get("http://h/x")));
        assertFalse(is("HTTP_URL_ABS", TestRequest.get("/x")));
        assertTrue(is("HTTP_URL_SLASH", TestRequest.get("/x")));
        assertFalse(is("HTTP_URL_SLASH", TestRequest.get("*")));
        assertTrue(is("HTTP_URL_STAR", TestRequest.get("*")));
        assertFalse(is("HTTP_URL_STAR", TestRequest.get("/*")));
    }

    @Test
    void content() {
        assertTrue(is("HTTP_CONTENT", TestRequest.get("/").header("Content-Length", "10")));
        assertFalse(is("HTTP_CONTENT", TestRequest.get("/").header("Content-Length", "0")));
        assertFalse(is("HTTP_CONTENT", TestRequest.get("/")));
    }

    @Test
    void localhost() {
        assertTrue(is("LOCALHOST", TestRequest.get("/").source("127.0.0.1")));
        assertTrue(is("LOCALHOST", TestRequest.get("/").source("127.9.8.7")));
        assertTrue(is("LOCALHOST", TestRequest.get("/").source("::1")));
        assertFalse(is("LOCALHOST", TestRequest.get("/").source("10.0.0.1")));
        assertFalse(is("LOCALHOST", TestRequest.get("/").source("::2")));
    }

    @Test
    void rdpCookieIsRefusedAsUnsupported() {
        for (String name : new String[] {"RDP_COOKIE"}) {
            AclException e = assertThrows(AclException.class, () -> is(name, TestRequest.get("/")));
            assertEquals(AclException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage().startsWith("predefined ACL '" + name + "' is not supported by Sluice"),
                    e.getMessage());
        }
    }
}
