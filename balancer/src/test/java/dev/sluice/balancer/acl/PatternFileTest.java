package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatternFileTest {

    static Path resources() {
        try {
            return Path.of(PatternFileTest.class.getResource("/acl/hosts.map").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void addressFileWithCommentsBlankLinesAndLeadingSpaces() {
        AclScope scope = Acls.scope(resources());
        scope.define(words("bad src -f bad-ips.lst"));
        Condition c = scope.condition(words("if bad"));
        assertTrue(c.test(TestRequest.get("/").source("192.0.2.200")));
        assertTrue(c.test(TestRequest.get("/").source("198.51.100.7")));
        assertFalse(c.test(TestRequest.get("/").source("198.51.100.8")));
        assertTrue(c.test(TestRequest.get("/").source("2001:db8:bad:1::1")));
        assertFalse(c.test(TestRequest.get("/").source("2001:db8:bae::1")));
    }

    @Test
    void ignoreCaseAppliesToFilesAfterIt() {
        AclScope scope = Acls.scope(resources());
        scope.define(words("exact hdr(user-agent) -f user-agents.lst"));
        scope.define(words("loose hdr(user-agent) -i -f user-agents.lst"));
        TestRequest upper = TestRequest.get("/").header("User-Agent", "CURL/8.0");
        TestRequest same = TestRequest.get("/").header("User-Agent", "curl/8.0");
        assertFalse(scope.condition(words("if exact")).test(upper));
        assertTrue(scope.condition(words("if exact")).test(same));
        assertTrue(scope.condition(words("if loose")).test(upper));
        TestRequest hash = TestRequest.get("/").header("User-Agent", "#not a comment: leading space is stripped, then the"
                + " line is a pattern");
        assertTrue(scope.condition(List.of("if", "{", "req.fhdr(user-agent)", "-f", "user-agents.lst", "}")).test(hash));
    }

    @Test
    void filesAndInlinePatternsCombine() {
        AclScope scope = Acls.scope(resources());
        scope.define(words("bad src -f bad-ips.lst 10.0.0.0/8"));
        Condition c = scope.condition(words("if bad"));
        assertTrue(c.test(TestRequest.get("/").source("10.9.9.9")));
        assertTrue(c.test(TestRequest.get("/").source("192.0.2.1")));
    }

    @Test
    void mapFilesWithMinusCapitalMUseTheirKeys() {
        AclScope scope = Acls.scope(resources());
        scope.define(words("known hdr(host) -M -f hosts.map"));
        assertTrue(scope.condition(words("if known")).test(TestRequest.get("/").header("Host", "api.example.com")));
        assertFalse(scope.condition(words("if known")).test(TestRequest.get("/").header("Host", "be_api")));
    }

    /** A network of the generated file, kept as a range for the brute-force reference. */
    private record Net(boolean v6, long startHi, long startLo, long endHi, long endLo) {
        boolean contains(IpAddress a) {
            if (v6) {
                return !a.v4() && IpRangeSet.compare(startHi, startLo, a.hi(), a.lo()) <= 0
                        && IpRangeSet.compare(a.hi(), a.lo(), endHi, endLo) <= 0;
            }
            long v = a.v4() ? a.v4Bits() & 0xffff_ffffL : -1;
            return v >= startLo && v <= endLo;
        }
    }

    @Test
    void hundredThousandNetworksFromAFileAnswerHitsAndMissesLikeALinearScan(@TempDir Path dir) throws IOException {
        Random random = new Random(20260808L);
        List<String> lines = new ArrayList<>();
        List<Net> nets = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            if (i % 5 == 4) {
                int prefix = 48 + random.nextInt(81);
                long hi = 0x2001_0db8_0000_0000L | (random.nextLong() & 0xffff_ffffL);
                long lo = random.nextLong();
                IpAddress net = IpAddress.ofV6(hi, lo).mask(prefix);
                lines.add(IpAddress.ofV6(hi, lo) + "/" + prefix);
                nets.add(new Net(true, net.hi(), net.lo(), net.hi() | ~IpAddress.highMask(prefix),
                        net.lo() | ~IpAddress.lowMask(prefix)));
            } else {
                int prefix = 22 + random.nextInt(11);
                int address = 0x0a00_0000 | random.nextInt(1 << 24);
                long start = IpAddress.ofV4(address).mask(prefix).v4Bits() & 0xffff_ffffL;
                long end = start + (1L << (32 - prefix)) - 1;
                lines.add(IpAddress.ofV4(address) + (prefix == 32 && i % 2 == 0 ? "" : "/" + prefix));
                nets.add(new Net(false, 0, start, 0, end));
            }
        }
        Files.write(dir.resolve("networks.lst"), lines);
        AclScope scope = Acls.scope(dir);
        scope.define(words("listed src -f networks.lst"));
        Condition listed = scope.condition(words("if listed"));

        List<IpAddress> probes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Net n = nets.get(random.nextInt(nets.size()));
            if (n.v6()) {
                probes.add(IpAddress.ofV6(n.startHi(), n.startLo()));
                probes.add(IpAddress.ofV6(n.endHi(), n.endLo()));
                long lo = n.endLo() + 1;
                probes.add(IpAddress.ofV6(lo == 0 ? n.endHi() + 1 : n.endHi(), lo));
            } else {
                probes.add(IpAddress.ofV4((int) n.startLo()));
                probes.add(IpAddress.ofV4((int) n.endLo()));
                probes.add(IpAddress.ofV4((int) (n.startLo() - 1)));
                probes.add(IpAddress.ofV4((int) (n.endLo() + 1)));
            }
            probes.add(IpAddress.ofV4(0x0a00_0000 | random.nextInt(1 << 24)));
            probes.add(IpAddress.ofV6(0x2001_0db8_0000_0000L | (random.nextLong() & 0xffff_ffffL), random.nextLong()));
        }
        int hits = 0;
        int misses = 0;
        TestRequest request = TestRequest.get("/");
        for (IpAddress probe : probes) {
            boolean expected = false;
            for (Net n : nets) {
                if (n.contains(probe)) {
                    expected = true;
                    break;
                }
            }
            request.source = probe;
            assertEquals(expected, listed.test(request), probe.toString());
            if (expected) {
                hits++;
            } else {
                misses++;
            }
        }
        assertTrue(hits > 800 && misses > 800, "hits " + hits + ", misses " + misses);
        assertFalse(listed.test(TestRequest.get("/").source("192.168.1.1")));
    }
}
