package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evaluating a frontend's conditions must not create garbage: counts the bytes this thread
 * allocates over many evaluations (a byte count, not a timing).
 */
class AllocationTest {

    private static final int EVALUATIONS = 20_000;

    @Test
    void elevenRuleFrontendAllocatesNothingPerRequest() {
        AclScope scope = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY).scope("fe");
        scope.define(words("api path_beg /api/ /v2/"));
        scope.define(words("static path_end .css .js .png"));
        scope.define(words("www hdr_dom(host) -i example.com"));
        scope.define(words("host_mapped req.hdr(host),lower,map(hosts.map) -m found"));
        scope.define(words("session req.cook(SID) -m found"));
        scope.define(words("debug url_param(debug) 1"));
        scope.define(words("ua hdr_reg(user-agent) -i bot|crawler"));
        scope.define(words("internal src 10.0.0.0/8 192.168.0.0/16 2001:db8::/32"));
        scope.define(words("high_port src_port gt 1024"));
        scope.define(words("farm_ok nbsrv(api) ge 1"));
        scope.define(words("sni ssl_fc_sni_end .example.com"));
        scope.define(words("field_check req.hdr(host),field(1,.) -m str www"));
        List<Condition> rules = new ArrayList<>();
        for (String c : new String[] {"if api METH_POST", "if static or www", "unless host_mapped", "if session !debug",
                "if ua", "if internal high_port", "if farm_ok sni", "if field_check", "if HTTP_1.1 LOCALHOST",
                "if { path -m sub admin } || { hdr_cnt(cookie) gt 3 }",
                "if { hdr_val(x-n) gt 5 } { urlp_val(x) eq 1 } { cook_val(n) 3 }"}) {
            rules.add(scope.condition(words(c)));
        }
        TestRequest r = TestRequest.get("/api/users?debug=0&x=1").method("POST")
                .header("Host", "WWW.Example.com").header("User-Agent", "curl/8.0")
                .header("Cookie", "SID=abc; theme=dark; n=3").header("X-N", "7").source("10.2.3.4");
        r.tlvs.put(0x02, "api.example.com");
        r.state.usable.put("api", 2);

        boolean[] expected = {true, true, false, true, false, true, true, false, false, false, true};
        for (int k = 0; k < rules.size(); k++) {
            assertEquals(expected[k], rules.get(k).test(r), rules.get(k).toString());
        }
        int matched = 0;
        for (int i = 0; i < EVALUATIONS; i++) {
            matched += evaluate(rules, r);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < EVALUATIONS; i++) {
            matched += evaluate(rules, r);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(2 * EVALUATIONS * 6, matched);
        assertTrue(allocated < 4096, allocated + " bytes allocated by " + EVALUATIONS + " evaluations of 11 rules");
    }

    private static int evaluate(List<Condition> rules, TestRequest r) {
        int matched = 0;
        for (int k = 0; k < rules.size(); k++) {
            if (rules.get(k).test(r)) {
                matched++;
            }
        }
        return matched;
    }
}
