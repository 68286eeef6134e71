package dev.sluice.balancer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The default formats written from fixed records: HAProxy 2.6's field order, character for character. */
class LogLinesTest {
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long START = Instant.parse("2026-11-04T13:00:00.045Z").toEpochMilli();

    private final Dates dates = new Dates(ZoneOffset.UTC);
    private final StringBuilder out = new StringBuilder();

    private static LogRecord served() {
        LogRecord r = new LogRecord(AccessLog.OFF);
        r.client = new InetSocketAddress("127.0.0.1", 40000);
        r.acceptNanos = T0;
        r.acceptMillis = START;
        r.startNanos = T0;
        r.startMillis = START;
        r.headersNanos = T0;
        r.queuedUntilNanos = T0 + MS;
        r.connectedNanos = T0 + 2 * MS;
        r.responseNanos = T0 + 10 * MS;
        r.status = 200;
        r.bytesOut = 51;
        r.backend = "be";
        r.server = "s1";
        r.method = "GET";
        r.uri = "/index.html?q=1";
        r.version = "HTTP/1.1";
        return r;
    }

    @Test
    void httplogOfAServedRequest() {
        LogLines.http(out, dates, served(), "fe", 1, 1, T0 + 12 * MS);
        assertEquals("127.0.0.1:40000 [04/Nov/2026:13:00:00.045] fe be/s1 0/1/1/8/12 200 51 - - ---- 1/1/0/0/0 0/0 "
                + "\"GET /index.html?q=1 HTTP/1.1\"", out.toString());
    }

    @Test
    void httplogWithoutAServerShowsNosrvAndUnreachedTimers() {
        LogRecord r = served();
        r.queuedUntilNanos = LogRecord.UNSET;
        r.connectedNanos = LogRecord.UNSET;
        r.responseNanos = LogRecord.UNSET;
        r.server = null;
        r.status = 503;
        r.bytesOut = 217;
        r.terminated(Termination.SERVER, Termination.AT_CONNECT);
        LogLines.http(out, dates, r, "fe", 2, 1, T0);
        assertEquals("127.0.0.1:40000 [04/Nov/2026:13:00:00.045] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 2/1/0/0/0 0/0 "
                + "\"GET /index.html?q=1 HTTP/1.1\"", out.toString());
    }

    @Test
    void httplogOfAConnectionWithoutRequest() {
        LogRecord r = new LogRecord(AccessLog.OFF);
        r.client = new InetSocketAddress("::1", 5);
        r.acceptNanos = T0;
        r.acceptMillis = START;
        r.status = 400;
        r.terminated(Termination.CLIENT, Termination.AT_REQUEST);
        LogLines.http(out, dates, r, "fe", 1, 1, T0 + 200 * MS);
        assertEquals("0:0:0:0:0:0:0:1:5 [04/Nov/2026:13:00:00.045] fe fe/<NOSRV> -1/-1/-1/-1/200 400 0 - - CR-- "
                + "1/1/0/0/0 0/0 \"<BADREQ>\"", out.toString());
    }

    @Test
    void tcplogOfARelayedSession() {
        LogRecord r = served();
        r.bytesOut = 1234;
        LogLines.tcp(out, dates, r, "fe", 3, 2, T0 + 500 * MS);
        assertEquals("127.0.0.1:40000 [04/Nov/2026:13:00:00.045] fe be/s1 1/1/500 1234 -- 3/2/0/0/0 0/0", out.toString());
    }

    @Test
    void clfQuotesNamesAndEndsWithTheEmptyCaptures() {
        LogLines.clf(out, dates, served(), "fe", 1, 1, T0 + 12 * MS);
        assertEquals("127.0.0.1 - - [04/Nov/2026:13:00:00 +0000] \"GET /index.html?q=1 HTTP/1.1\" 200 51 \"\" \"\" "
                + "40000 045 \"fe\" \"be\" \"s1\" 0 1 1 8 12 ---- 1 1 0 0 0 0 0 \"\" \"\" ", out.toString());
    }

    @Test
    void capturedHeadersAppearInBracesCutAndEscaped() {
        AccessLog log = new AccessLog(new AccessLogPlan(LogStyle.HTTP, java.util.List.of(), false, false, "haproxy",
                java.util.List.of(new HeaderCapture("Host", 32), new HeaderCapture("User-Agent", 5)),
                java.util.List.of(new HeaderCapture("Content-Type", 64))), "fe", null, null);
        LogRecord r = new LogRecord(log);
        LogRecord s = served();
        r.client = s.client;
        r.acceptNanos = T0;
        r.acceptMillis = START;
        r.startNanos = T0;
        r.startMillis = START;
        r.headersNanos = T0;
        r.status = 200;
        r.method = "GET";
        r.uri = "/";
        r.version = "HTTP/1.1";
        r.requestCaptured[0] = "a|b{c}";
        r.requestCaptured[1] = "curl/8.0";
        LogLines.http(out, dates, r, "fe", 1, 1, T0);
        assertEquals("127.0.0.1:40000 [04/Nov/2026:13:00:00.045] fe fe/<NOSRV> 0/-1/-1/-1/0 200 0 - - ---- 1/1/0/0/0 0/0 "
                + "{a#7Cb#7Bc#7D|curl/} {} \"GET / HTTP/1.1\"", out.toString());
    }

    @Test
    void theFirstTerminationWins() {
        LogRecord r = served();
        r.terminated(Termination.SERVER_TIMEOUT, Termination.AT_HEADERS);
        r.terminated(Termination.CLIENT, Termination.AT_DATA);
        LogLines.tcp(out, dates, r, "fe", 1, 1, T0);
        assertEquals("sH", out.substring(out.indexOf(" sH ") + 1, out.indexOf(" sH ") + 3));
    }

    @Test
    void syslogDatesPadTheDayWithASpace() {
        dates.appendSyslogDate(out, START);
        assertEquals("Nov  4 13:00:00", out.toString());
    }

    @Test
    void clfDatesCarryTheOffset() {
        dates.appendClfDate(out, START);
        assertEquals("04/Nov/2026:13:00:00 +0000", out.toString());
    }
}
