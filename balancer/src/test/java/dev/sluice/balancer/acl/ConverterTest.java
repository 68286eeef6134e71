package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConverterTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression, RequestView request) {
        return compiler.sampleExpression(expression, "fe").evaluateString(request);
    }

    private static TestRequest withHeader(String name, String value) {
        return TestRequest.get("/").header(name, value);
    }

    @Test
    void lowerAndUpper() {
        TestRequest r = withHeader("Host", "WwW.Example.COM");
        assertEquals("www.example.com", value("req.hdr(host),lower", r));
        assertEquals("WWW.EXAMPLE.COM", value("req.hdr(host),upper", r));
        assertEquals("www.example.com", value("req.hdr(host),upper,lower", r));
        assertEquals("already", value("req.hdr(x),lower", withHeader("X", "already")));
    }

    @Test
    void exactMapWithDefault() {
        assertEquals("be_api", value("req.hdr(host),lower,map(hosts.map)", withHeader("Host", "API.example.com")));
        assertEquals("be_static", value("req.hdr(host),map(hosts.map)", withHeader("Host", "static.example.com")));
        assertNull(value("req.hdr(host),map(hosts.map)", withHeader("Host", "other.example.com")));
        assertEquals("be_default", value("req.hdr(host),map(hosts.map,be_default)",
                withHeader("Host", "other.example.com")));
        assertEquals("value with spaces", value("req.hdr(k),map_str(with-comment-value.map)", withHeader("K", "a")));
    }

    @Test
    void prefixMapTakesTheLongestPrefix() {
        assertEquals("be_api_v2", value("path,map_beg(prefixes.map)", TestRequest.get("/api/v2/users")));
        assertEquals("be_api", value("path,map_beg(prefixes.map)", TestRequest.get("/api/v1/users")));
        assertEquals("be_static", value("path,map_beg(prefixes.map,none)", TestRequest.get("/static/a.css")));
        assertEquals("none", value("path,map_beg(prefixes.map,none)", TestRequest.get("/other")));
    }

    @Test
    void domainMapTakesTheFirstLineThatMatches() {
        assertEquals("be_com", value("req.hdr(host),map_dom(domains.map)", withHeader("Host", "www.example.com")));
        assertEquals("be_org", value("req.hdr(host),map_dom(domains.map)", withHeader("Host", "a.example.org:8080")));
        assertNull(value("req.hdr(host),map_dom(domains.map)", withHeader("Host", "notexample.com")));
    }

    @Test
    void mapOutputFeedsAnAcl() {
        AclScope scope = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY).scope("fe");
        Condition c = scope.condition(Acls.words("if { req.hdr(host),lower,map(hosts.map,none) -m beg be_ }"));
        assertTrue(c.test(withHeader("Host", "WWW.example.com")));
        assertFalse(c.test(withHeader("Host", "elsewhere")));
    }

    @Test
    void ipmaskGroupsAddresses() {
        TestRequest v4 = TestRequest.get("/").source("192.0.2.77");
        assertEquals("192.0.2.0", value("src,ipmask(24)", v4));
        assertEquals("192.0.0.0", value("src,ipmask(255.255.0.0)", v4));
        TestRequest v6 = TestRequest.get("/").source("2001:db8:1:2:3:4:5:6");
        assertNull(value("src,ipmask(24)", v6));
        assertEquals("2001:db8:1::", value("src,ipmask(24,48)", v6));
        assertEquals("2001:db8::", value("src,ipmask(24,ffff:ffff::)", v6));
        assertTrue(Acls.matches("src,ipmask(16) 192.0.0.0", v4));
        assertEquals("10.1.0.0", value("req.hdr(x),ipmask(16)", withHeader("X", "10.1.2.3")));
    }

    @Test
    void fieldCountsEmptyFields() {
        TestRequest r = withHeader("X", "f1_f2_f3__f5");
        assertEquals("f5", value("req.hdr(x),field(5,_)", r));
        assertEquals("f2_f3__f5", value("req.hdr(x),field(2,_,0)", r));
        assertEquals("f2_f3", value("req.hdr(x),field(2,_,2)", r));
        assertEquals("f2_f3_", value("req.hdr(x),field(-2,_,3)", r));
        assertEquals("f1_f2_f3", value("req.hdr(x),field(-3,_,0)", r));
        assertEquals("", value("req.hdr(x),field(4,_)", r));
        assertNull(value("req.hdr(x),field(6,_)", r));
    }

    @Test
    void wordSkipsEmptyWords() {
        TestRequest r = withHeader("X", "f1_f2_f3__f5");
        assertEquals("f5", value("req.hdr(x),word(4,_)", r));
        assertEquals("f2_f3__f5", value("req.hdr(x),word(2,_,0)", r));
        assertEquals("f3__f5", value("req.hdr(x),word(3,_,2)", r));
        assertEquals("f1_f2_f3", value("req.hdr(x),word(-2,_,3)", r));
        assertEquals("f1_f2", value("req.hdr(x),word(-3,_,0)", r));
        assertEquals("f1", value("path,word(1,/)", TestRequest.get("/f1/f2/f3/f4")));
        assertEquals("f4", value("path,word(-1,/)", TestRequest.get("/f1/f2/f3/f4/")));
        assertEquals("b", value("req.hdr(x),word(2,.:)", withHeader("X", "a.b:c")));
        assertNull(value("req.hdr(x),word(5,_)", r));
        // Past the last word, or with count 0, haproxy 2.6 runs to the edge, delimiters included.
        assertEquals("/static", value("path,word(-2,/,2)", TestRequest.get("/static/app.css")));
        assertEquals("/f1/f2", value("path,word(-1,/,0)", TestRequest.get("/f1/f2")));
        assertEquals("f1/f2/", value("path,word(1,/,5)", TestRequest.get("/f1/f2/")));
        assertEquals("f2/", value("path,word(2,/,2)", TestRequest.get("/f1/f2/")));
        assertEquals("//f1//f2", value("req.hdr(x),word(-1,/,3)", withHeader("X", "//f1//f2//")));
        assertEquals("f1_f2", value("req.hdr(x),word(-1,_,2)", withHeader("X", "_f1_f2_")));
        assertEquals("/a", value("req.hdr(x),field(-2,/,3)", withHeader("X", "/a/b")));
        assertEquals("b/", value("req.hdr(x),field(2,/,0)", withHeader("X", "a/b/")));
    }

    @Test
    void integersAndAddressesAreFormattedForStringConverters() {
        TestRequest r = TestRequest.get("/");
        r.sourcePort = 40123;
        assertEquals("40", value("src_port,word(1,1)", r));
        assertEquals("192.0.2.10", value("src,lower", r));
    }

    @Test
    void expressionsWithoutConverterUseTheFetchType() {
        SampleExpression e = compiler.sampleExpression("src_port", "fe");
        assertEquals(SampleType.INT, e.type());
        assertEquals(40000, e.evaluateLong(TestRequest.get("/"), -1));
        assertEquals(SampleType.STR, compiler.sampleExpression("src,ipmask(8),lower", "fe").type());
        assertEquals(SampleType.IP, compiler.sampleExpression("src,ipmask(8)", "fe").type());
        assertEquals(IpAddress.parse("192.0.0.0"),
                compiler.sampleExpression("src,ipmask(8)", "fe").evaluateIp(TestRequest.get("/")));
        assertEquals("src,ipmask(8)", compiler.sampleExpression("src,ipmask(8)", "fe").text());
        assertEquals(-1, compiler.sampleExpression("req.hdr(host)", "fe").evaluateLong(withHeader("Host", "x"), -1));
        assertEquals(Path.of("x"), Path.of("x"));
    }
}
