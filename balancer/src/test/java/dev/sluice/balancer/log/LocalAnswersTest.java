package dev.sluice.balancer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.rules.Verdict;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The states, servers and timers HAProxy logs for the balancer's own answers. */
class LocalAnswersTest {
    private static final AclCompiler ACL = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
    private static final LineFormat FORMAT = LineFormat.compile("%tsc %b/%s %ST %TR/%Tw/%Tc/%Tr",
            s -> ACL.sampleExpression(s, "fe"));

    private static LogRecord requestRead() {
        LogRecord r = new LogRecord(AccessLog.OFF);
        r.acceptNanos = 1_000_000_000L;
        r.idleFromNanos = r.acceptNanos;
        r.startNanos = r.acceptNanos;
        r.headersNanos = r.acceptNanos;
        r.method = "GET";
        r.uri = "/";
        r.version = "HTTP/1.1";
        return r;
    }

    private static String line(LogRecord r) {
        StringBuilder out = new StringBuilder();
        LineInputs in = new LineInputs(new Dates(ZoneOffset.UTC));
        in.frontend = "fe";
        in.endNanos = System.nanoTime();
        FORMAT.render(out, r, in);
        return out.toString();
    }

    @Test
    void denyIsTheProxysRefusalOfTheRequest() {
        LogRecord r = requestRead();
        LocalAnswers.requestRule(r, Verdict.DENY, null);
        r.answered(403);
        assertEquals("PR-- fe/<NOSRV> 403 0/-1/-1/-1", line(r));
    }

    @Test
    void returnAndRedirectAreLocalAnswers() {
        LogRecord r = requestRead();
        LocalAnswers.requestRule(r, Verdict.REPLY, null);
        r.answered(302);
        assertEquals("LR-- fe/<NOSRV> 302", line(r).substring(0, "LR-- fe/<NOSRV> 302".length()));
    }

    @Test
    void tarpitHidesTrAndCountsTheHoldAsTw() {
        LogRecord r = requestRead();
        LocalAnswers.requestRule(r, Verdict.TARPIT, null);
        r.tarpitEnded();
        r.answered(500);
        assertEquals("PT-- fe/<NOSRV> 500 -1/", line(r).substring(0, "PT-- fe/<NOSRV> 500 -1/".length()));
        assertEquals("-1", line(r).split(" ")[3].split("/")[2], "Tc: no server was tried");
    }

    @Test
    void aResponseRuleRefusalIsInTheHeadersPhase() {
        LogRecord r = requestRead();
        LocalAnswers.responseRule(r, Verdict.DENY);
        assertEquals("PH--", line(r).substring(0, 4));
        LogRecord other = requestRead();
        LocalAnswers.responseRule(other, Verdict.REPLY);
        assertEquals("LH--", line(other).substring(0, 4));
    }

    @Test
    void servicesAreLocalAnswersByTheirAppletWithoutWaiting() {
        LogRecord r = requestRead();
        LocalAnswers.service(r, "<PROMEX>", 200);
        String line = line(r);
        assertEquals("LR-- fe/<PROMEX> 200 ", line.substring(0, "LR-- fe/<PROMEX> 200 ".length()));
        for (String timer : line.split(" ")[3].split("/")) {
            assertEquals(true, Long.parseLong(timer) >= 0, line);
        }
    }

    @Test
    void aConnectionThatDoesNotLogIsLeftAlone() {
        LocalAnswers.requestRule(null, Verdict.DENY, null);
        LocalAnswers.responseRule(null, Verdict.DENY);
        LocalAnswers.replySent(null, 403);
        LocalAnswers.service(null, "<STATS>", 200);
    }
}
