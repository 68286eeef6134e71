package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void rdpCookie() {
        TestRequest r = TestRequest.get("/");
        r.payload = new Payload();
        byte[] request = ("\u0003\u0000\u0000\u002b\u0026\u00e0\u0000\u0000\u0000\u0000\u0000"
                + "Cookie: mstshash=alice\r\n\u0001\u0000\u0008\u0000").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        r.payload.update(io.netty.buffer.Unpooled.wrappedBuffer(request), 16384, false);
        assertTrue(is("RDP_COOKIE", r));
        assertEquals(Condition.Outcome.APPLIES, Acls.scope().condition(words("if { req.rdp_cookie(mstshash) alice }"))
                .evaluateContent(r));
        assertEquals(Condition.Outcome.SKIPPED, Acls.scope().condition(words("if { rdp_cookie(other) -m found }"))
                .evaluateContent(r));
        r.payload.update(io.netty.buffer.Unpooled.wrappedBuffer(request, 0, 25), 16384, false);
        assertEquals(Condition.Outcome.UNDETERMINED, Acls.scope().condition(words("if RDP_COOKIE")).evaluateContent(r));
        r.payload.update(io.netty.buffer.Unpooled.wrappedBuffer(request, 0, 25), 16384, true);
        assertFalse(is("RDP_COOKIE", r));
        assertEquals("alice", new AclCompiler(java.nio.file.Path.of("."), ProxyCatalog.ANY)
                .sampleExpression("rdp_cookie", "fe").evaluateString(bytes(request)));
    }

    private static TestRequest bytes(byte[] b) {
        TestRequest r = TestRequest.get("/");
        r.payload = new Payload();
        r.payload.update(io.netty.buffer.Unpooled.wrappedBuffer(b), 16384, true);
        return r;
    }
}
