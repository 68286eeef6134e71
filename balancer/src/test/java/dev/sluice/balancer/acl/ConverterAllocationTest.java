package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The converters of issue #8 on the request path create no garbage once warm: per-thread buffers,
 * matchers and date texts are reused (a byte count, not a timing). Digests and table lookups are
 * left out: a digest returns a new array, a string table key is a new String.
 */
class ConverterAllocationTest {

    private static final int EVALUATIONS = 20_000;

    @Test
    void convertersInConditionsAllocateNothingPerRequest() {
        AclScope scope = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY).scope("fe");
        List<Condition> rules = new ArrayList<>();
        for (String c : new String[] {"if { req.hdr(host),crc32 gt 0 }", "if { req.hdr(x-n),add(3),mul(2) eq 20 }",
                "if { req.hdr(host),length gt 3 }", "if { req.hdr(host),base64,b64dec -m str WWW.Example.com }",
                "if { req.hdr(host),regsub(Example,x,i) -m sub .x. }", "if { req.hdr(host),url_enc,url_dec -m found }",
                "if { req.hdr(host),json(utf8s),hex -m found }", "if { req.hdr(host),xxh64,xxh32 -m found }",
                "if { req.hdr(x-n),add(txn.x),odd }", "if { req.hdr(host),concat(a,txn.s,b),host_only -m end b }",
                "if { int(1700000000),http_date -m beg Tue }",
                "if { req.hdr(host),ltrim(W),rtrim(m),bytes(1,3) -m found }",
                "if { req.hdr(x-n),iif(a,b) -m str a }", "if { src,be2hex(:,1) -m found }"}) {
            rules.add(scope.condition(words(c)));
        }
        VariablesRequest r = new VariablesRequest(TestRequest.get("/").header("Host", "WWW.Example.com")
                .header("X-N", "7").source("10.2.3.4"), dev.sluice.balancer.stick.StickTables.NONE)
                .set("txn.x", 2L).set("txn.s", "mid");
        for (Condition c : rules) {
            assertTrue(c.test(r), c.toString());
        }
        for (int i = 0; i < EVALUATIONS; i++) {
            evaluate(rules, r);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        int matched = 0;
        for (int i = 0; i < EVALUATIONS; i++) {
            matched += evaluate(rules, r);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(matched == EVALUATIONS * rules.size(), matched + " matches");
        assertTrue(allocated < 4096, allocated + " bytes allocated by " + EVALUATIONS + " evaluations");
    }

    private static int evaluate(List<Condition> rules, RequestView r) {
        int matched = 0;
        for (int k = 0; k < rules.size(); k++) { // indexed: an iterator would be garbage of the test's own
            if (rules.get(k).test(r)) {
                matched++;
            }
        }
        return matched;
    }
}
