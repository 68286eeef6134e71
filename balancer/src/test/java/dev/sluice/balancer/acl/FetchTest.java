package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FetchTest {

    private static String value(String expression, RequestView request) {
        return new AclCompiler(Path.of("."), ProxyCatalog.ANY).sampleExpression(expression, "fe")
                .evaluateString(request);
    }

    @Test
    void pathStopsAtTheQueryAndSkipsTheAuthorityOfAnAbsoluteUri() {
        assertEquals("/a/b.php", value("path", TestRequest.get("/a/b.php?x=1")));
        assertEquals("/p", value("path", TestRequest.get("http://example.com:8080/p?q")));
        assertNull(value("path", TestRequest.get("*")));
        assertNull(value("path", TestRequest.get("http://example.com")));
        assertEquals("", value("path", TestRequest.get("/?x")).substring(1));
    }

    @Test
    void pathDerivatives() {
        TestRequest r = TestRequest.get("/images/png/logo/32x32.png?size=2");
        assertTrue(matches("path /images/png/logo/32x32.png", r));
        assertFalse(matches("path /images", r));
        assertTrue(matches("path_beg /static /images", r));
        assertTrue(matches("path_end .gif .png", r));
        assertFalse(matches("path_end size=2", r));
        assertTrue(matches("path_sub png/logo", r));
        assertTrue(matches("path_reg ^/images/[a-z]+/", r));
        assertTrue(matches("path_dir /images/png", r));
        assertTrue(matches("path_dir logo/32x32.png", r));
        assertFalse(matches("path_dir 32x32", r));
        assertTrue(matches("path_dom logo", r));
        assertTrue(matches("path_len 26", r));
        assertFalse(matches("path_len 1:25", r));
    }

    @Test
    void urlKeepsEverythingAndMatchesTheStar() {
        TestRequest r = TestRequest.get("/a?b=c");
        assertEquals("/a?b=c", value("url", r));
        assertTrue(matches("url_beg /a?", r));
        assertTrue(matches("url_sub b=c", r));
        assertTrue(matches("url *", TestRequest.get("*")));
        assertTrue(matches("url_reg ^[^/:]*://", TestRequest.get("https://h/x")));
    }

    @Test
    void queryIsAbsentWithoutQuestionMarkAndEmptyAfterATrailingOne() {
        assertNull(value("query", TestRequest.get("/a")));
        assertEquals("", value("query", TestRequest.get("/a?")));
        assertEquals("x=1&y=2", value("query", TestRequest.get("/a?x=1&y=2")));
        assertFalse(matches("query -m found", TestRequest.get("/a")));
        assertTrue(matches("query -m found", TestRequest.get("/a?")));
    }

    @Test
    void urlParamFindsNamedParametersAndIteratesInAcls() {
        TestRequest r = TestRequest.get("/a?user=bob&id=7&user=alice;sid=9");
        assertEquals("bob", value("url_param(user)", r));
        assertEquals("9", value("urlp(sid)", r));
        assertEquals("bob", value("url_param", r));
        assertTrue(matches("url_param(user) alice", r));
        assertTrue(matches("urlp_beg(user) ali", r));
        assertFalse(matches("url_param(User) bob", r));
        assertTrue(matches("urlp_val(id) gt 6", r));
        assertNull(value("url_param(nope)", r));
        assertEquals("x", value("urlp(JSESSIONID,;)", TestRequest.get("/foo;JSESSIONID=x")));
    }

    @Test
    void headersSplitAtCommasOutsideQuotesAndHonourOccurrences() {
        TestRequest r = TestRequest.get("/").header("X-Forwarded-For", "10.0.0.1, 10.0.0.2")
                .header("x-forwarded-for", "10.0.0.3").header("Host", "www.Example.com:80")
                .header("X-Q", "\"a,b\", c");
        assertEquals("10.0.0.3", value("req.hdr(x-forwarded-for)", r));
        assertEquals("10.0.0.1", value("req.hdr(x-forwarded-for,1)", r));
        assertEquals("10.0.0.2", value("hdr(x-forwarded-for,-2)", r));
        assertNull(value("hdr(x-forwarded-for,4)", r));
        assertEquals("\"a,b\"", value("hdr(x-q,1)", r));
        assertEquals("\"a,b\", c", value("req.fhdr(x-q)", r));
        assertTrue(matches("hdr(x-forwarded-for) 10.0.0.2", r));
        assertFalse(matches("hdr(x-forwarded-for,1) 10.0.0.2", r));
        assertTrue(matches("hdr_beg(host) -i www.example", r));
        assertFalse(matches("hdr_beg(host) www.example", r));
        assertTrue(matches("hdr_end(host) :80", r));
        assertTrue(matches("hdr_sub(host) Example", r));
        assertTrue(matches("hdr_reg(host) ^www\\.", r));
        assertTrue(matches("hdr_dom(host) -i example.com", r));
        assertFalse(matches("hdr_dom(host) -i ample.com", r));
        assertTrue(matches("hdr_dir(host) www.Example.com:80", r));
        assertTrue(matches("hdr_len(host) 18", r));
        assertTrue(matches("hdr_cnt(x-forwarded-for) eq 3", r));
        assertTrue(matches("req.hdr_cnt(host) 1", r));
        assertTrue(matches("req.hdr_cnt(absent) 0", r));
        assertTrue(matches("req.fhdr_cnt(x-forwarded-for) 2", r));
        assertTrue(matches("req.hdr(host) -m found", r));
        assertFalse(matches("req.hdr(absent) -m found", r));
        assertTrue(matches("hdr -m sub Example", r));
    }

    @Test
    void headerAddressesAndValues() {
        TestRequest r = TestRequest.get("/").header("X-Forwarded-For", "203.0.113.9:5555, junk, [2001:db8::1]:80")
                .header("Content-Length", "42").header("X-Neg", "-3").header("X-Text", "abc");
        assertTrue(matches("hdr_ip(x-forwarded-for) 203.0.113.0/24", r));
        assertTrue(matches("req.hdr_ip(x-forwarded-for) 2001:db8::/32", r));
        assertFalse(matches("req.hdr_ip(x-forwarded-for,2) 0.0.0.0/0 ::/0", r));
        assertEquals("2001:db8::1", value("req.hdr_ip(x-forwarded-for)", r));
        assertTrue(matches("req.hdr_val(content-length) gt 0", r));
        assertTrue(matches("hdr_val(x-neg) lt 0", r));
        assertTrue(matches("hdr_val(x-text) 0", r));
    }

    @Test
    void cookiesByNameWithSpacesIgnored() {
        TestRequest r = TestRequest.get("/").header("Cookie", "a=1; SID = abc ; theme=dark")
                .header("Cookie", "SID=def; empty=");
        assertEquals("def", value("req.cook(SID)", r));
        assertEquals("1", value("cook", r));
        assertTrue(matches("req.cook(SID) abc", r));
        assertTrue(matches("cook(SID) def", r));
        assertFalse(matches("cook(sid) abc", r));
        assertTrue(matches("cook_beg(theme) da", r));
        assertTrue(matches("req.cook(empty) -m found", r));
        assertTrue(matches("req.cook(empty) -m len 0", r));
        assertFalse(matches("req.cook(missing) -m found", r));
        assertTrue(matches("req.cook_cnt(SID) 2", r));
        assertTrue(matches("cook_cnt 5", r));
        assertTrue(matches("cook_cnt(theme) 1", r));
        assertTrue(matches("cook_cnt(none) 0", r));
        assertTrue(matches("req.cook_val(a) 1", r));
    }

    @Test
    void methodAndVersion() {
        TestRequest r = TestRequest.get("/").method("PURGE");
        assertTrue(matches("method PURGE", r));
        assertFalse(matches("method purge", r));
        assertTrue(matches("method -i purge", r));
        assertTrue(matches("req.ver 1.1", r));
        assertTrue(matches("req.proto_http", r));
    }

    @Test
    void connectionAddressesAndPorts() {
        TestRequest r = TestRequest.get("/").source("10.1.2.3");
        r.sourcePort = 51000;
        assertTrue(matches("src 10.0.0.0/8", r));
        assertFalse(matches("src 192.168.0.0/16", r));
        assertTrue(matches("src_port 1024:", r));
        assertFalse(matches("src_port :1023", r));
        assertTrue(matches("dst 198.51.100.1", r));
        assertTrue(matches("dst_port 443", r));
        assertEquals("10.1.2.3", value("src", r));
        assertFalse(matches("src -m found", TestRequest.get("/").source(null)));
    }

    @Test
    void backendState() {
        TestRequest r = TestRequest.get("/");
        r.state.usable.put("static", 1);
        r.state.usable.put("", 3);
        r.state.backendConnections.put("static", 40);
        r.state.frontendConnections.put("", 100);
        r.state.slots.put("static", 5);
        r.state.queued.put("static", 9);
        r.state.queued.put("", 10);
        r.state.up.add("static/s1");
        assertTrue(matches("nbsrv(static) lt 2", r));
        assertTrue(matches("nbsrv ge 3", r));
        assertTrue(matches("be_conn(static) gt 39", r));
        assertTrue(matches("fe_conn 100", r));
        assertTrue(matches("connslots(static) le 5", r));
        assertTrue(matches("queue(static) 9", r));
        assertTrue(matches("avg_queue(static) 9", r));
        assertTrue(matches("avg_queue 3", r));
        r.state.usable.put("static", 0);
        assertTrue(matches("avg_queue(static) 18", r));
        assertTrue(matches("srv_is_up(static/s1)", r));
        assertFalse(matches("srv_is_up(static/s2)", r));
    }

    @Test
    void proxyProtocolTlvs() {
        TestRequest r = TestRequest.get("/");
        assertFalse(matches("ssl_fc", r));
        assertFalse(matches("ssl_fc_sni -m found", r));
        r.ssl = true;
        r.tlvs.put(0x01, "h2");
        r.tlvs.put(0x02, "api.example.com");
        r.tlvs.put(0x05, "req-42");
        r.tlvs.put(0xE0, "custom");
        r.sslVersion = "TLSv1.3";
        r.sslCipher = "TLS_AES_128_GCM_SHA256";
        assertTrue(matches("ssl_fc", r));
        assertTrue(matches("ssl_fc_sni api.example.com", r));
        assertTrue(matches("ssl_fc_sni_end .example.com", r));
        assertTrue(matches("ssl_fc_sni_reg ^api\\.", r));
        assertTrue(matches("ssl_fc_alpn h2", r));
        assertTrue(matches("ssl_fc_protocol TLSv1.3", r));
        assertTrue(matches("ssl_fc_cipher -m beg TLS_AES", r));
        assertTrue(matches("fc_pp_authority api.example.com", r));
        assertTrue(matches("fc_pp_unique_id req-42", r));
        assertTrue(matches("fc_pp_tlv(0xE0) custom", r));
        assertTrue(matches("fc_pp_tlv(224) custom", r));
        assertTrue(matches("fc_pp_tlv(ALPN) h2", r));
        assertFalse(matches("fc_pp_tlv(0xE1) -m found", r));
    }

    @Test
    void alwaysTrueAndFalse() {
        assertTrue(matches("always_true", TestRequest.get("/")));
        assertFalse(matches("always_false", TestRequest.get("/")));
    }
}
