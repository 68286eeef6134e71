package dev.sluice.balancer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.format.FormatException;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * log-format strings compiled and rendered from fixed records. The expected texts are what Debian's
 * HAProxy 2.6.12 wrote for the same strings (quoting by kind, "-" and "" for absent values, +X, +E,
 * %o, separators that an empty capture swallows); the default formats must come out exactly as
 * {@link LogLines} writes them.
 */
class LineFormatTest {
    private static final AclCompiler ACL = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long START = Instant.parse("2026-11-04T13:00:00.045Z").toEpochMilli();

    private final StringBuilder out = new StringBuilder();

    private static LineFormat compile(String text) {
        return LineFormat.compile(text, s -> ACL.sampleExpression(s, "fe"));
    }

    private static LineInputs inputs(long endNanos) {
        LineInputs in = new LineInputs(new Dates(ZoneOffset.UTC));
        in.frontend = "fe";
        in.endNanos = endNanos;
        return in;
    }

    private static AccessLog log(String format, List<HeaderCapture> requestCaptures) {
        return new AccessLog(new AccessLogPlan(LogStyle.CUSTOM, List.of(), false, false, "haproxy", requestCaptures,
                List.of(), compile(format)), "fe", null, null);
    }

    /** A request served by be/s1: TR 0, Tw 1, Tc 1, Tr 8, 200, 51 bytes. */
    private static LogRecord served(AccessLog log) {
        LogRecord r = new LogRecord(log);
        r.client = new InetSocketAddress("127.0.0.1", 40000);
        r.acceptNanos = T0;
        r.idleFromNanos = T0;
        r.acceptMillis = START;
        r.startNanos = T0;
        r.startMillis = START;
        r.headersNanos = T0;
        r.queuedUntilNanos = T0 + MS;
        r.connectedNanos = T0 + 2 * MS;
        r.responseNanos = T0 + 10 * MS;
        r.status = 200;
        r.bytesOut = 51;
        r.bytesIn = 77;
        r.backend = "be";
        r.server = "s1";
        r.method = "GET";
        r.uri = "/index.html?q=1";
        r.version = "HTTP/1.1";
        r.actconn = 1;
        r.feconn = 1;
        return r;
    }

    private static LogRecord served() {
        return served(AccessLog.OFF);
    }

    private String render(String format, LogRecord record) {
        out.setLength(0);
        compile(format).render(out, record, inputs(T0 + 12 * MS));
        return out.toString();
    }

    @Test
    void theDefaultFormatsComeOutAsTheDedicatedWritersWriteThem() {
        Dates dates = new Dates(ZoneOffset.UTC);
        StringBuilder expected = new StringBuilder();
        LogLines.http(expected, dates, served(), "fe", 1, 1, T0 + 12 * MS);
        assertEquals(expected.toString(), render(
                "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r",
                served()));
        expected.setLength(0);
        LogLines.tcp(expected, dates, served(), "fe", 1, 1, T0 + 12 * MS);
        assertEquals(expected.toString(),
                render("%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq", served()));
        expected.setLength(0);
        LogLines.clf(expected, dates, served(), "fe", 1, 1, T0 + 12 * MS);
        assertEquals(expected.toString(), render("%{+Q}o %{-Q}ci - - [%trg] %r %ST %B \"\" \"\" %cp %ms %ft %b %s %TR "
                + "%Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl", served()));
    }

    @Test
    void quotesGoAroundNamesAndTextsButNeverAroundNumbersDatesOrStates() {
        assertEquals("\"127.0.0.1\" 40000 \"fe\" \"be\" \"s1\" 200 51 77 -- 8 \"GET\" \"HTTP/1.1\"",
                render("%{+Q}ci %{+Q}cp %{+Q}f %{+Q}b %{+Q}s %{+Q}ST %{+Q}B %{+Q}U %{+Q}ts %{+Q}Tr %{+Q}HM %{+Q}HV",
                        served()));
    }

    @Test
    void anAbsentValueIsADashOrTwoQuotes() {
        LogRecord r = served();
        r.server = null;
        r.backend = null;
        assertEquals("- \"\" - \"\" fe <NOSRV> - \"\" -:-", render("%CC %{+Q}CC %ID %{+Q}ID %b %s %si %{+Q}sp %bi:%bp",
                r));
        r.serverSource = new InetSocketAddress("::1", 4660);
        assertEquals("\"::1\":4660 00000000000000000000000000000001:1234", render("%{+Q}bi:%bp %{+X}bi:%{+X}bp", r));
    }

    @Test
    void percentOSetsTheFlagsOfEveryLaterPart() {
        assertEquals("fe \"be\" be 200 \"/index.html\"", render("%f %{+Q}o %b %{-Q}b %ST %HP", served()));
    }

    @Test
    void hexadecimalAppliesToAddressesPortsAndTimestampsOnly() {
        assertEquals("7F000001:9C40 200 51 " + Long.toHexString(START / 1000).toUpperCase() + " 2D",
                render("%{+X}ci:%{+X}cp %{+X}ST %{+X}B %{+X}Ts %{+X}ms", served()));
        // In hexadecimal an address is a number: +Q leaves it bare.
        assertEquals("7F000001 \"127.0.0.1\"", render("%{+Q}o %{+X}ci %ci", served()));
    }

    @Test
    void escapeFlagPutsABackslashBeforeQuotesBackslashesAndBrackets() {
        // A '"' in a target is #22 already (see below); samples keep theirs (samplesReadTheLoggedRequest).
        LogRecord r = served();
        r.uri = "/a\\c]d";
        assertEquals("/a\\\\c\\]d \"/a\\\\c\\]d\" /a\\c]d", render("%{+E}HU %{+Q,+E}HU %HU", r));
    }

    @Test
    void spacesCollapseAndAnEmptyCaptureSwallowsItsSeparator() {
        assertEquals("a b 200 100%", render("  a    b %hr %hs %ST 100%%", served()));
    }

    @Test
    void capturedHeadersInBracesOrAsAListEscapedAndCut() {
        AccessLog log = log("%hr", List.of(new HeaderCapture("X-E", 20), new HeaderCapture("Host", 3)));
        LogRecord r = served(log);
        r.requestCaptured[0] = "a\"b\\c]d";
        assertEquals("{a#22b\\c]d|} \"{a#22b\\c]d|}\" a#22b\\c]d - \"a#22b\\c]d\" \"\"",
                render("%hr %{+Q}hr %hrl %{+Q}hrl", r));
        r.requestCaptured[1] = "example.org";
        assertEquals("{a#22b\\c]d|exa}", render("%hr", r));
    }

    @Test
    void requestTargetsKeepTheirQuotesOutOfTheLine() {
        LogRecord r = served();
        r.uri = "/a\"b#c\u00e9?q=\"1\"\u0001";
        String encoded = "/a#22b#23c#E9?q=#221#22#01";
        assertEquals("\"GET " + encoded + " HTTP/1.1\" " + encoded + " /a#22b#23c#E9 ?q=#221#22#01",
                render("%{+Q}r %HU %HP %HQ", r));
        StringBuilder httplog = new StringBuilder();
        LogLines.http(httplog, new Dates(ZoneOffset.UTC), r, "fe", 1, 1, T0);
        assertTrue(httplog.toString().endsWith("\"GET " + encoded + " HTTP/1.1\""), httplog.toString());
    }

    @Test
    void requestPartsOfARequestNeverParsedAreBadreq() {
        LogRecord r = served();
        r.method = null;
        r.uri = null;
        r.version = null;
        assertEquals("\"<BADREQ>\" <BADREQ> <BADREQ> \"<BADREQ>\"", render("%{+Q}r %HM %HPO %{+Q}HV", r));
    }

    @Test
    void pathQueryAndPathOnlySplitTheTarget() {
        LogRecord r = served();
        r.uri = "http://example.org:8080/p/q?x=1";
        assertEquals("http://example.org:8080/p/q /p/q ?x=1 http://example.org:8080/p/q?x=1",
                render("%HP %HPO %HQ %HU", r));
        r.uri = "/only";
        assertEquals("/only /only - \"\"", render("%HP %HPO %HQ %{+Q}HQ", r));
    }

    @Test
    void timersCountFromTheEndOfThePhaseBefore() {
        LogRecord r = served();
        r.idleFromNanos = T0 - 5 * MS;
        assertEquals("0 5 0 5 1 1 8 12 2 17 12", render("%Th %Ti %TR %Tq %Tw %Tc %Tr %Ta %Td %Tt %Tu", r));
        r.connectedNanos = LogRecord.UNSET;
        r.responseNanos = LogRecord.UNSET;
        assertEquals("1 -1 -1 -1", render("%Tw %Tc %Tr %Td", r));
    }

    @Test
    void datesInLocalTimeAndGmt() {
        assertEquals("04/Nov/2026:13:00:00.045 04/Nov/2026:13:00:00 +0000 04/Nov/2026:13:00:00 +0000 045 "
                + START / 1000, render("%t %T %trg %ms %Ts", served()));
    }

    @Test
    void samplesReadTheLoggedRequest() {
        AccessLog log = log("%[req.hdr(host)]", List.of());
        LogRecord r = new LogRecord(log);
        EmbeddedChannel channel = new EmbeddedChannel();
        r.accepted(channel);
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/p?x=1");
        request.headers().add("Host", "Example.ORG").add("X-Q", "a\"b");
        r.requestHead(request);
        assertEquals("Example.ORG \"example.org\" - \"\" \"A\"B\" a\\\"b \"/p\"",
                render("%[req.hdr(host)] %{+Q}[req.hdr(host),lower] %[req.hdr(none)] %{+Q}[req.hdr(none)] "
                        + "%{+Q}[req.hdr(x-q),upper] %{+E}[req.hdr(x-q)] %{+Q}[path]", r));
        assertTrue(compile("%[src]").readsSamples());
        assertFalse(compile("%ci").readsSamples());
        channel.finishAndReleaseAll();
    }

    @Test
    void inTcpModeHttpVariablesAreRefusedAndStatusIsZero() {
        FormatException e = assertThrows(FormatException.class,
                () -> LineFormat.compile("%ci %Ti", t -> ACL.sampleExpression(t, "fe"), false));
        assertEquals("format variable '%Ti' is reserved for HTTP mode", e.getMessage());
        LogRecord r = served();
        r.status = -1;
        r.responseNanos = LogRecord.UNSET;
        out.setLength(0);
        LineFormat.compile("%ST %Td %Tt", t -> ACL.sampleExpression(t, "fe"), false).render(out, r, inputs(T0 + 12 * MS));
        assertEquals("0 10 12", out.toString());
        assertEquals("-1 -1", render("%ST %Td", r));
    }

    /** Lines rendered to measure allocation (a byte count, not a timing). */
    private static final int LINES = 20_000;

    @Test
    void aLineOfVariablesTimersAndDatesAllocatesNothing() {
        LineFormat format = compile("%{+Q}o %ci %{-Q}cp [%tr] %ft %b %s %TR/%Tw/%Tc/%Tr/%Ta/%Tt %ST %B %U %tsc "
                + "%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %CC %HM %HPO %HQ %HV %r %trg %ms %{+X}Ts %pid");
        LogRecord r = served();
        LineInputs in = inputs(T0 + 12 * MS);
        StringBuilder line = new StringBuilder(1_024);
        for (int i = 0; i < LINES; i++) {
            line.setLength(0);
            format.render(line, r, in);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < LINES; i++) {
            line.setLength(0);
            format.render(line, r, in);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < LINES, allocated + " bytes for " + LINES + " lines: " + line);
    }

    @Test
    void badStringsAreRefusedWithTheReason() {
        assertRefused("%Zz", "no such format variable '%Zz'");
        assertRefused("%{+Z}ci", "unknown flag '+Z'");
        assertRefused("%{Q}ci", "bad flag 'Q'");
        assertRefused("%{+Q ci", "missing '}' after '%{'");
        assertRefused("%[src", "missing ']' after '%['");
        assertRefused("%[]", "empty sample expression");
        assertRefused("a % b", "'%' at position 2 must be followed by a variable");
        assertRefused("%[nosuchfetch(1)]", "failed to parse sample expression 'nosuchfetch(1)'");
    }

    @Test
    void requestCounterIsTheNumberTheLineWasGivenInDecimalOrHex() {
        LineInputs in = inputs(T0 + 12 * MS);
        in.requestNumber = 26;
        out.setLength(0);
        compile("%rt %{+X}rt %lc").render(out, served(), in);
        assertEquals("26 001A 0", out.toString());
        assertTrue(compile("x %{+X}rt").countsRequests());
        assertFalse(compile("%lc %ID").countsRequests());
    }

    @Test
    void logAsapPutsAPlusBeforeTheTotalsThatGoOnOnly() {
        LineInputs in = inputs(T0 + 12 * MS);
        in.logAsap = true;
        out.setLength(0);
        compile("%B %Ta %Tt %Tu %U %Td %Tr %ST").render(out, served(), in);
        assertEquals("+51 +12 +12 +12 77 2 8 200", out.toString());
        StringBuilder expected = new StringBuilder();
        AccessLog asap = new AccessLog(new AccessLogPlan(LogStyle.HTTP, List.of(), false, false, "haproxy", List.of(),
                List.of(), null, new LogExtrasPlan(null, null, null, null, false, true)), "fe", null, null);
        LogLines.http(expected, new Dates(ZoneOffset.UTC), served(asap), "fe", 1, 1, T0 + 12 * MS);
        assertTrue(expected.toString().contains(" 0/1/1/8/+12 200 +51 - - ---- "), expected.toString());
        expected.setLength(0);
        LogLines.tcp(expected, new Dates(ZoneOffset.UTC), served(asap), "fe", 1, 1, T0 + 12 * MS);
        assertTrue(expected.toString().contains(" 1/1/+12 +51 -- "), expected.toString());
    }

    @Test
    void uniqueIdIsRenderedOnceAtItsFirstUseAndForgottenWithTheRequest() {
        LineFormat classic = compile("%{+X}o %ci:%cp_%Ts_%rt:%pid");
        AccessLog log = new AccessLog(new AccessLogPlan(LogStyle.NONE, List.of(), false, false, "haproxy", List.of(),
                List.of(), null, new LogExtrasPlan(classic, "X-Unique-ID", null, null, false, false)), "fe", null, null);
        LogRecord r = served(log);
        String id = r.uniqueId();
        String pid = Long.toHexString(ProcessHandle.current().pid()).toUpperCase();
        assertTrue(id.matches("7F000001:9C40_" + Long.toHexString(START / 1000).toUpperCase() + "_[0-9A-F]{4,}:0*"
                + pid), id);
        assertTrue(r.uniqueId() == id, "made once per request");
        out.setLength(0);
        compile("%ID %{+Q}ID").render(out, r, inputs(T0));
        assertEquals(id + " \"" + id + "\"", out.toString());
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        r.requestRouted(request);
        assertEquals(List.of(id), request.headers().getAll("X-Unique-ID"));
        r.discard();
        assertEquals(null, r.uniqueId, "forgotten with the request");
        String next = r.uniqueId();
        long first = Long.parseLong(id.split("_")[2].split(":")[0], 16);
        long second = Long.parseLong(next.split("_")[2].split(":")[0], 16);
        assertTrue(second > first, id + " then " + next);
    }

    @Test
    void aUniqueIdIsCutAtHaproxysLength() {
        AccessLog log = new AccessLog(new AccessLogPlan(LogStyle.NONE, List.of(), false, false, "haproxy", List.of(),
                List.of(), null, new LogExtrasPlan(compile("%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU%HU"), null,
                null, null, false, false)), "fe", null, null);
        assertEquals(AccessLog.UNIQUE_ID_MAX, served(log).uniqueId().length());
    }

    @Test
    void structuredDataTravelsBeforeTheLineAfterItsLength() {
        StringBuilder line = new StringBuilder();
        int start = StructuredData.open(line);
        line.append("[x@1 a=\"b\"]");
        StructuredData.close(line, start);
        line.append("the line");
        assertEquals("00011 [x@1 a=\"b\"]the line", line.toString());
        assertEquals(11, StructuredData.length(line));
        assertEquals("[x@1 a=\"b\"]", line.substring(StructuredData.dataStart(), StructuredData.dataStart() + 11));
    }

    @Test
    void errorsAreWhatHaproxyCallsErrorsForSeparateErrorsAndDontlogNormal() {
        LogRecord r = served();
        assertFalse(r.failed(true), "200 served");
        r.terminated(Termination.LOCAL, Termination.AT_REQUEST);
        assertFalse(r.failed(true), "a local answer (LR) is normal");
        r = served();
        r.status = -1;
        assertFalse(r.failed(false), "a tcp session has no status");
        r.status = 503;
        assertTrue(r.failed(true));
        assertFalse(r.failed(false));
        r = served();
        r.retries = 1;
        assertTrue(r.failed(true), "a retry");
        r = served();
        r.terminated(Termination.CLIENT, Termination.AT_DATA);
        assertTrue(r.failed(true));
        r = served();
        r.method = null;
        assertTrue(r.connectionLevel(true), "no request parsed: the connection's line");
        assertFalse(r.connectionLevel(false));
    }

    private static void assertRefused(String format, String reason) {
        FormatException e = assertThrows(FormatException.class, () -> compile(format), format);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
