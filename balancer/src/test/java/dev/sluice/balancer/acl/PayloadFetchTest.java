package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.balancer.acl.Condition.Outcome;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Payload fetches and HAProxy's three-valued condition logic during content inspection: a fetch
 * that lacks data makes the condition undetermined until the evaluation is final.
 */
class PayloadFetchTest {
    private static final int BUFSIZE = 16384;
    private static final AclCompiler COMPILER = new AclCompiler(Path.of("."), ProxyCatalog.ANY);

    private static TestRequest bytes(byte[] b, boolean last) {
        TestRequest r = TestRequest.get("/");
        r.version = null; // a tcp connection: no HTTP request
        r.payload = new Payload();
        r.payload.update(Unpooled.wrappedBuffer(b), BUFSIZE, last);
        return r;
    }

    private static TestRequest ascii(String s, boolean last) {
        return bytes(s.getBytes(StandardCharsets.ISO_8859_1), last);
    }

    private static Outcome eval(String condition, TestRequest r) {
        return Acls.scope().condition(words(condition)).evaluateContent(r);
    }

    @Test
    void requestLengthWaitsUntilThereIsData() {
        assertEquals(Outcome.UNDETERMINED, eval("if { req.len gt 0 }", ascii("", false)));
        assertEquals(Outcome.APPLIES, eval("if { req.len gt 0 }", ascii("abc", false)));
        assertEquals(Outcome.SKIPPED, eval("if { req.len gt 0 }", ascii("", true)));
        // HAProxy: a length that did not match may still grow: wait.
        assertEquals(Outcome.UNDETERMINED, eval("if { req_len ge 5 }", ascii("abc", false)));
        assertEquals(Outcome.APPLIES, eval("if REQ_CONTENT", ascii("a", false)));
    }

    @Test
    void threeValuedLogic() {
        TestRequest empty = ascii("", false);
        assertEquals(Outcome.UNDETERMINED, eval("if !{ req.len gt 0 }", empty));
        assertEquals(Outcome.UNDETERMINED, eval("unless { req.len gt 0 }", empty));
        assertEquals(Outcome.APPLIES, eval("if { req.len gt 0 } || TRUE", empty));
        assertEquals(Outcome.APPLIES, eval("if TRUE or { req.len gt 0 }", empty));
        assertEquals(Outcome.SKIPPED, eval("if FALSE { req.len gt 0 }", empty));
        assertEquals(Outcome.UNDETERMINED, eval("if TRUE { req.len gt 0 }", empty));
        assertEquals(Outcome.SKIPPED, eval("unless TRUE", empty));
    }

    @Test
    void waitEnd() {
        assertEquals(Outcome.UNDETERMINED, eval("if WAIT_END", ascii("x", false)));
        assertEquals(Outcome.APPLIES, eval("if WAIT_END", ascii("x", true)));
    }

    @Test
    void payloadBlocks() {
        assertEquals(Outcome.APPLIES, eval("if { req.payload(0,3) -m bin 474554 }", ascii("GET / HTTP/1.1", false)));
        // The ACL keyword payload matches "bin" by default; req.payload has no default method.
        assertEquals(Outcome.APPLIES, eval("if { payload(0,3) 474554 }", ascii("GET /", false)));
        assertEquals(Outcome.SKIPPED, eval("if { payload(0,3) 474554 }", ascii("PUT /", false)));
        assertEquals(Outcome.UNDETERMINED, eval("if { payload(0,3) 474554 }", ascii("GE", false)));
        assertEquals(Outcome.SKIPPED, eval("if { payload(0,3) 474554 }", ascii("GE", true)));
        assertEquals("matching method must be specified first (using '-m') when using a sample fetch of this type "
                + "('req.payload')", Acls.message(() -> eval("if { req.payload(0,3) 474554 }", ascii("GET", false))));
        assertEquals(Outcome.APPLIES, eval("if { payload(1,2) -m str ET }", ascii("GET", false)));
        // Longer than the buffer can ever hold: never, without waiting.
        assertEquals(Outcome.SKIPPED, eval("if { req.payload(0,20000) -m found }", ascii("GET", false)));
        // Length 0: all that is there so far, which may still grow.
        assertEquals(Outcome.UNDETERMINED, eval("if { req.payload(0,0) -m str GET }", ascii("GE", false)));
        assertEquals(Outcome.APPLIES, eval("if { req.payload(0,0) -m str GET }", ascii("GET", false)));
    }

    @Test
    void lengthValueBlocks() {
        byte[] block = {0, 3, 'a', 'b', 'c', 'z'};
        assertEquals(Outcome.APPLIES, eval("if { payload_lv(0,2) 616263 }", bytes(block, false)));
        assertEquals(Outcome.APPLIES, eval("if { req.payload_lv(0,2,+1) -m bin 62637a }", bytes(block, false)));
        assertEquals(Outcome.APPLIES, eval("if { payload_lv(0,2,3) 62637a }", bytes(block, false)));
        assertEquals(Outcome.UNDETERMINED, eval("if { req.payload_lv(0,2) -m found }", bytes(new byte[] {0, 3, 'a'},
                false)));
        assertEquals(Outcome.SKIPPED, eval("if { req.payload_lv(0,2) -m found }", bytes(new byte[] {0, 0}, false)));
    }

    @Test
    void tlsHello() {
        byte[] hello = ClientHelloTest.capture("openssl-sni-a");
        assertEquals(Outcome.APPLIES, eval("if { req_ssl_hello_type 1 }", bytes(hello, false)));
        assertEquals(Outcome.APPLIES, eval("if { req.ssl_sni -i A.EXAMPLE }", bytes(hello, false)));
        assertEquals(Outcome.APPLIES, eval("if { req.ssl_ec_ext } { req.ssl_st_ext 1 }", bytes(hello, false)));
        assertEquals(Outcome.SKIPPED, eval("if { req.ssl_sni -m end .b.example }", bytes(hello, false)));
        byte[] half = java.util.Arrays.copyOf(hello, 100);
        assertEquals(Outcome.UNDETERMINED, eval("if { req_ssl_hello_type 1 }", bytes(half, false)));
        assertEquals(Outcome.UNDETERMINED, eval("if { req_ssl_sni a.example }", bytes(half, false)));
        assertEquals(Outcome.SKIPPED, eval("if { req_ssl_sni a.example }", bytes(half, true)));
        // Plain text is decided at once: not a hello, no waiting.
        assertEquals(Outcome.SKIPPED, eval("if { req_ssl_hello_type 1 }", ascii("GET / HTTP/1.0\r\n", false)));
        assertEquals(Outcome.SKIPPED, eval("if { req.ssl_sni -m found }", ascii("SSH-2.0-OpenSSH\r\n", false)));
        byte[] tls12 = ClientHelloTest.capture("openssl-tls12-alpn");
        assertEquals(Outcome.APPLIES, eval("if { req.ssl_sni -m end .b.example }", bytes(tls12, false)));
        assertEquals(Outcome.APPLIES, eval("if { req.ssl_alpn http/1.1 }", bytes(tls12, false)));
        assertEquals(Outcome.APPLIES, eval("if { req.ssl_alpn h2 }", bytes(tls12, false)));
        // Versions in ACLs are dotted: 3.1 is 0x30001 (TLS 1.0 in the record header).
        assertEquals(Outcome.APPLIES, eval("if { req_ssl_ver 3.1 }", bytes(tls12, false)));
        assertEquals(Outcome.APPLIES, eval("if { req.ssl_ver 3.0:3.3 }", bytes(tls12, false)));
        assertEquals(Outcome.SKIPPED, eval("if { req.ssl_ver gt 3.1 }", bytes(tls12, false)));
        assertEquals("'196609' is not a dotted number", Acls.message(() -> eval("if { req_ssl_ver 196609 }",
                bytes(tls12, false))));
    }

    @Test
    void sampleExpressions() {
        AclCompiler compiler = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
        TestRequest r = bytes(ClientHelloTest.capture("openssl-tls12-alpn"), true);
        assertEquals("www.b.example", compiler.sampleExpression("req.ssl_sni", "fe").evaluateString(r));
        assertEquals("h2", compiler.sampleExpression("req.ssl_alpn", "fe").evaluateString(r));
        assertEquals(228, compiler.sampleExpression("req.len", "fe").evaluateLong(r, -1));
        assertEquals("\u0016\u0003\u0001", compiler.sampleExpression("req.payload(0,3)", "fe").evaluateString(r));
        assertNull(compiler.sampleExpression("req.ssl_sni", "fe").evaluateString(TestRequest.get("/")));
    }

    @Test
    void protocolHttp() {
        assertEquals(Outcome.APPLIES, eval("if HTTP", ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n", false)));
        assertEquals(Outcome.APPLIES, eval("if HTTP", ascii("GET / HTTP/1.0\n\n", false)));
        assertEquals(Outcome.UNDETERMINED, eval("if HTTP", ascii("GET / HTTP/1.1\r\nHost: x\r\n", false)));
        assertEquals(Outcome.UNDETERMINED, eval("if HTTP", ascii("GET", false)));
        assertEquals(Outcome.SKIPPED, eval("if HTTP", ascii("GET", true)));
        assertEquals(Outcome.SKIPPED, eval("if HTTP", ascii("GET /\r\n", false)));
        assertEquals(Outcome.SKIPPED, eval("if HTTP", ascii("GET / HTTP/1.1\r\nbad line\r\n\r\n", false)));
        assertEquals(Outcome.SKIPPED, eval("if HTTP", bytes(ClientHelloTest.capture("curl-alpn"), false)));
        assertEquals(Outcome.APPLIES, eval("if { req.proto_http }", ascii("POST /x?y HTTP/1.1\r\nA: b\r\n\r\nbody",
                false)));
    }

    @Test
    void onAnHttpRequestPayloadFetchesFindNothingButItsLengthAndEnd() {
        TestRequest http = TestRequest.get("/");
        assertFalse(Acls.matches("req_ssl_sni -m found", http));
        assertFalse(Acls.matches("req.payload(0,3) -m found", http));
        assertEquals(Outcome.APPLIES, eval("if WAIT_END", http), "the request is complete: final");
        assertEquals(Outcome.APPLIES, eval("if HTTP", http)); // an HTTP request is HTTP
    }

    @Test
    void anHttpRequestsLengthIsHaproxysInternalMessageSize() {
        // Measured on haproxy 2.6.12: GET / HTTP/1.1 with Host: a is 38; each added character counts one.
        assertEquals(38L, COMPILER.sampleExpression("req.len", "fe").evaluateLong(
                TestRequest.get("/").header("Host", "a"), -1));
        assertEquals(87L, COMPILER.sampleExpression("req.len", "fe").evaluateLong(
                TestRequest.get("/abc").header("Host", "a").header("X-Long", "0123456789".repeat(4)), -1));
        assertEquals(Outcome.APPLIES, eval("if { req.len ge 38 }", TestRequest.get("/").header("Host", "a")));
        assertEquals(Outcome.SKIPPED, eval("if { req.len gt 38 }", TestRequest.get("/").header("Host", "a")),
                "final at once: the head is complete");
    }

    @Test
    void responseFetchesReadTheServersBytesOnly() {
        TestRequest r = TestRequest.get("/");
        r.responsePayload = new Payload();
        r.responsePayload.update(Unpooled.wrappedBuffer("EV".getBytes(StandardCharsets.ISO_8859_1)), BUFSIZE, false);
        Condition evil = Acls.scope().condition(words("if { res.payload(0,4) -m str EVIL }"));
        assertEquals(Outcome.UNDETERMINED, evil.evaluateContent(r, r.responsePayload), "two of four bytes: wait");
        assertEquals(Outcome.UNDETERMINED, Acls.scope().condition(words("if { res.len ge 3 }"))
                .evaluateContent(r, r.responsePayload));
        r.responsePayload.update(Unpooled.wrappedBuffer("EVIL!".getBytes(StandardCharsets.ISO_8859_1)), BUFSIZE, false);
        assertEquals(Outcome.APPLIES, evil.evaluateContent(r, r.responsePayload));
        assertEquals(5L, COMPILER.sampleExpression("res.len", "be").evaluateLong(r, -1));
        r.responsePayload.update(Unpooled.wrappedBuffer("EV".getBytes(StandardCharsets.ISO_8859_1)), BUFSIZE, true);
        assertEquals(Outcome.SKIPPED, evil.evaluateContent(r, r.responsePayload), "final: EV is not EVIL");
        // The request's payload fetches do not read the response.
        assertFalse(Acls.matches("req.payload(0,2) -m found", r));
        TestRequest noResponse = TestRequest.get("/");
        assertFalse(Acls.matches("res.len ge 0", noResponse));
    }
}
