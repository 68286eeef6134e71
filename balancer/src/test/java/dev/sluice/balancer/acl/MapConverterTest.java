package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The map converters beyond exact and prefix strings: {@code map_ip} (most specific network),
 * {@code map_int} (numbers and ranges, first match), {@code map_reg}/{@code map_regm} (first
 * match, groups expanded) and the {@code _int}/{@code _ip} outputs, with the values haproxy 2.6
 * gives for the same files (see HaproxyRuntimeDifferentialIT for the side-by-side run).
 */
class MapConverterTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression, RequestView request) {
        return compiler.sampleExpression(expression, "fe").evaluateString(request);
    }

    private String fromSource(String expression, String source) {
        return value(expression, TestRequest.get("/").source(source));
    }

    private static TestRequest withHeader(String name, String value) {
        return TestRequest.get("/").header(name, value);
    }

    @Test
    void ipMapTakesTheMostSpecificNetworkAndTheFirstOfTwins() {
        assertEquals("host", fromSource("src,map_ip(nets.map)", "10.1.2.3"));
        assertEquals("ten-one", fromSource("src,map_ip(nets.map)", "10.1.9.9"));
        assertEquals("ten", fromSource("src,map_ip(nets.map)", "10.200.0.1"));
        assertEquals("any", fromSource("src,map_ip(nets.map)", "11.0.0.1"));
        assertEquals("doc6-host", fromSource("src,map_ip(nets.map)", "2001:db8::7"));
        assertEquals("doc6", fromSource("src,map_ip(nets.map)", "2001:db8::8"));
        assertNull(fromSource("src,map_ip(nets.map)", "fe80::1"));
        assertEquals("none", fromSource("src,map_ip(nets.map,none)", "fe80::1"));
    }

    @Test
    void ipMapCrossesFamiliesAsHaproxyDoes() {
        // IPv4 first among IPv4 networks (0.0.0.0/0 holds it), IPv6 first among IPv6 networks.
        assertEquals("any", fromSource("src,map_ip(nets.map)", "192.0.2.1"));
        assertEquals("mapped", fromSource("src,map_ip(nets.map)", "::ffff:192.0.2.1"));
        // An IPv6 address carrying an IPv4 one falls back to the IPv4 networks.
        assertEquals("host", fromSource("src,map_ip(nets.map)", "::ffff:10.1.2.3"));
        // A string is parsed as an address; one that is not an address is no sample.
        assertEquals("ten", value("req.hdr(x),map_ip(nets.map)", withHeader("X", "10.3.3.3")));
        assertNull(value("req.hdr(x),map_ip(nets.map,none)", withHeader("X", "junk")));
    }

    @Test
    void intMapMatchesNumbersAndRangesInFileOrder() {
        assertEquals("one", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "1")));
        assertEquals("mid", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "30000")));
        assertEquals("high", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "99999")));
        assertEquals("low", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "-5")));
        assertEquals("none", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "200")));
        // HAProxy's string to integer cast: the leading integer, 0 when there is none.
        assertEquals("low", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "abc")));
        assertEquals("mid", value("req.hdr(x),map_int(ports.map,none)", withHeader("X", "35000 apples")));
        assertEquals("mid", value("src_port,map_int(ports.map,none)", TestRequest.get("/")));
    }

    @Test
    void regexMapsReturnTheValueOrExpandTheGroups() {
        assertEquals("api-\\2-\\1", value("path,map_reg(regex.map)", TestRequest.get("/api/v2/users")));
        assertEquals("api-users-v2", value("path,map_regm(regex.map)", TestRequest.get("/api/v2/users")));
        assertEquals("files-static-", value("path,map_regm(regex.map)", TestRequest.get("/static/a.css")));
        assertEquals("num", value("path,map_regm(regex.map)", TestRequest.get("/abc/123")));
        assertEquals("none", value("path,map_regm(regex.map,none)", TestRequest.get("/abc")));
    }

    @Test
    void typedOutputsAreParsedAtLoad() {
        assertEquals("2", value("req.hdr(x),map_str_int(modes.map,-1)", withHeader("X", "prod")));
        assertEquals("-1", value("req.hdr(x),map_str_int(modes.map,-1)", withHeader("X", "other")));
        assertEquals("24", fromSource("src,map_ip_int(nets-int.map,0)", "192.0.2.9"));
        assertEquals("2001:db8::1", value("req.hdr(host),map_str_ip(hostips.map)", withHeader("Host", "api.example.com")));
        assertEquals("10.0.0.1", value("req.hdr(host),map_str_ip(hostips.map,::1)", withHeader("Host", "www.example.com")));
        assertEquals("::1", value("req.hdr(host),map_str_ip(hostips.map,::1)", withHeader("Host", "x")));
        Condition tenOrMore = compiler.scope("fe").condition(Acls.words("if { src,map_ip_int(nets-int.map,0) gt 9 }"));
        assertTrue(tenOrMore.test(TestRequest.get("/").source("10.0.0.1")));
        assertFalse(tenOrMore.test(TestRequest.get("/").source("2001:db8::1")));
    }

    @Test
    void badFilesAndArgumentsAreRefusedWithHaproxysWords() {
        assertEquals("'notanip' is not a valid IPv4 or IPv6 address at line 1 of file 'bad-ip-key.map'", refusal("src,map_ip(bad-ip-key.map)"));
        assertEquals("'abc' is not a number at line 1 of file 'bad-int-key.map'", refusal("src_port,map_int(bad-int-key.map)"));
        assertTrue(refusal("path,map_reg(bad-regex.map)").startsWith("regex '([a' is invalid (error="));
        assertEquals("unable to parse '1.2.3' at line 1 of file 'bad-ip-value.map'", refusal("path,map_str_ip(bad-ip-value.map)"));
        assertTrue(message("src,map_ip_int(nets-int.map,x)").endsWith(
                "invalid arg 2 in converter 'map_ip_int' : failed to parse 'x' as type 'integer' at position 2."));
        assertTrue(message("path,map_str_ip(hostips.map,x)").endsWith(
                "invalid args in converter 'map_str_ip' : map: cannot parse default ip <x>.."));
        assertTrue(message("path,map_regm_int(regex.map)").contains("unknown converter 'map_regm_int'"));
        assertTrue(message("path,map_str_str(modes.map)").contains("unknown converter 'map_str_str'"));
    }

    private String message(String expression) {
        return assertThrows(AclException.class, () -> compiler.sampleExpression(expression, "fe")).getMessage();
    }

    /** The part of the refusal that names the problem in the file. */
    private String refusal(String expression) {
        String m = message(expression);
        String marker = "invalid args in converter '";
        int at = m.indexOf(marker);
        assertTrue(at >= 0, m);
        int from = m.indexOf("' : ", at) + 4;
        return m.substring(from, m.length() - 1);
    }
}
