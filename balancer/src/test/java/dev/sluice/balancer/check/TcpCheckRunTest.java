package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The tcp-check engine over scripted events, with the statuses and texts Debian's haproxy 2.6 reports. */
class TcpCheckRunTest {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private TcpCheckRun run(TcpCheck check) {
        return new TcpCheckRun(check, sent::writeBytes, 0x5F5E1000L);
    }

    private static TcpCheckRule.Expect expect(int step, TcpCheckRule.Match match, boolean negate, String pattern,
                                              int minRecv, String comment) {
        boolean regex = match == TcpCheckRule.Match.RSTRING || match == TcpCheckRule.Match.RBINARY;
        byte[] literal = match == TcpCheckRule.Match.BINARY ? HexFormat.of().parseHex(pattern)
                : regex ? null : pattern.getBytes(StandardCharsets.ISO_8859_1);
        return new TcpCheckRule.Expect(step, comment, match, negate, pattern, literal,
                regex ? Pattern.compile(pattern) : null, minRecv, null, null, null, null, null, null, 0);
    }

    private static TcpCheck tcp(TcpCheckRule... rules) {
        return new TcpCheck(TcpCheck.Kind.TCP, List.of(rules));
    }

    private static HttpProbeHandler.Verdict feed(TcpCheckRun run, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return run.received(bytes, 0, bytes.length);
    }

    private static void assertVerdict(CheckStatus status, int code, String info, HttpProbeHandler.Verdict verdict) {
        assertEquals(new HttpProbeHandler.Verdict(status, code, info), verdict);
    }

    @Test
    void noRulesIsAConnectCheck() {
        assertVerdict(CheckStatus.L4OK, 0, "", run(tcp()).connected());
    }

    @Test
    void stringFoundPassesWithTheGenericText() {
        TcpCheckRun run = run(tcp(expect(1, TcpCheckRule.Match.STRING, false, "hello", -1, "")));
        assertNull(run.connected());
        assertNull(feed(run, "hel"));
        assertVerdict(CheckStatus.L7OK, 0, "(tcp-check)", feed(run, "lo world"));
    }

    @Test
    void stringMissingWaitsThenTimesOutNamingTheStep() {
        TcpCheckRun run = run(tcp(expect(1, TcpCheckRule.Match.STRING, false, "nope", -1, "")));
        run.connected();
        assertNull(feed(run, "hello world\r\n"));
        assertVerdict(CheckStatus.L7TOUT, 0, " at step 1 of tcp-check (expect string 'nope')", run.timedOut());
    }

    @Test
    void stringMissingAtCloseFailsWithCommentAndStep() {
        TcpCheckRun run = run(tcp(expect(2, TcpCheckRule.Match.STRING, false, "nope", -1, "banner check")));
        run.connected();
        feed(run, "OK then\r\n");
        assertVerdict(CheckStatus.L7RSP, 0, "TCPCHK did not match content 'nope' at step 2 comment: banner check",
                run.closed());
    }

    @Test
    void minRecvMakesAMismatchConclusive() {
        TcpCheckRun run = run(tcp(expect(1, TcpCheckRule.Match.STRING, false, "nope", 3, "")));
        run.connected();
        assertVerdict(CheckStatus.L7RSP, 0, "TCPCHK did not match content 'nope' at step 1", feed(run, "hello"));
    }

    @Test
    void negatedMatchFailsAtOnceAndNoMatchWaitsForTheClose() {
        TcpCheckRun unwanted = run(tcp(expect(1, TcpCheckRule.Match.STRING, true, "hello", -1, "")));
        unwanted.connected();
        assertVerdict(CheckStatus.L7RSP, 0, "TCPCHK matched unwanted content 'hello' at step 1",
                feed(unwanted, "hello world"));

        TcpCheckRun absent = run(tcp(expect(1, TcpCheckRule.Match.STRING, true, "ERR", -1, "")));
        absent.connected();
        assertNull(feed(absent, "OK then"));
        assertVerdict(CheckStatus.L7OK, 0, "(tcp-check)", absent.closed());
    }

    @Test
    void binaryAndRegexForms() {
        TcpCheckRun binary = run(tcp(expect(1, TcpCheckRule.Match.BINARY, false, "0102", -1, "")));
        binary.connected();
        feed(binary, "OK");
        assertVerdict(CheckStatus.L7RSP, 0, "TCPCHK did not match content (binary) at step 1", binary.closed());

        TcpCheckRun rbinary = run(tcp(expect(1, TcpCheckRule.Match.RBINARY, false, "^68656C", -1, "")));
        rbinary.connected();
        assertVerdict(CheckStatus.L7OK, 0, "(tcp-check)", feed(rbinary, "hello"));

        TcpCheckRun rstring = run(tcp(expect(1, TcpCheckRule.Match.RSTRING, false, "^hel+o", -1, "")));
        rstring.connected();
        assertVerdict(CheckStatus.L7OK, 0, "(tcp-check)", feed(rstring, "hello"));
    }

    @Test
    void sendGoesOutAndDropsWhatCameBefore() {
        TcpCheckRun run = run(tcp(new TcpCheckRule.Send(1, "", CheckText.literal("PING\r\n"), false),
                expect(2, TcpCheckRule.Match.STRING, false, "PONG", -1, "")));
        assertNull(run.connected());
        assertEquals("PING\r\n", sent.toString(StandardCharsets.ISO_8859_1));
        assertVerdict(CheckStatus.L7OK, 0, "(tcp-check)", feed(run, "+PONG"));
    }

    @Test
    void closeWithNothingReceivedIsAnEmptyResponse() {
        TcpCheckRun run = run(tcp(new TcpCheckRule.Send(1, "", CheckText.literal("x"), false),
                expect(2, TcpCheckRule.Match.STRING, false, "y", -1, "")));
        run.connected();
        assertVerdict(CheckStatus.L7RSP, 0, "TCPCHK got an empty response at step 2", run.closed());
    }

    @Test
    void lastRuleConnectOrSendPasses() {
        TcpCheckRule.Connect explicit = new TcpCheckRule.Connect(1, "", 0, null, false, false);
        assertVerdict(CheckStatus.L4OK, 0, "(tcp-check)", run(tcp(explicit)).connected());
        assertVerdict(CheckStatus.L7OK, 0, "(tcp-check)",
                run(tcp(new TcpCheckRule.Send(1, "", CheckText.literal("hi"), false))).connected());
    }

    @Test
    void connectFailureTexts() {
        assertEquals("Connection refused at initial connection step of tcp-check",
                TcpCheckRun.connectFailure(tcp(), "Connection refused"));
        assertEquals("Connection refused at step 1 of tcp-check (connect port 21997)", TcpCheckRun.connectFailure(
                tcp(new TcpCheckRule.Connect(1, "", 21997, null, false, false)), "Connection refused"));
        assertEquals("Connection refused", TcpCheckRun.connectFailure(ProtocolChecks.redis(), "Connection refused"));
    }

    @Test
    void onErrorAndStatusCode() {
        TcpCheckRule.Expect expect = new TcpCheckRule.Expect(1, "", TcpCheckRule.Match.STRING, false, "nope",
                "nope".getBytes(StandardCharsets.ISO_8859_1), null, -1, null, CheckStatus.L7STS, null, null,
                CheckText.parse("bad %[res.payload(0,5)]"), CheckText.parse("%[res.payload(0,3)]"), 0);
        TcpCheckRun run = run(tcp(expect));
        run.connected();
        feed(run, "503 busy");
        assertVerdict(CheckStatus.L7STS, 503, "bad 503 b", run.closed());
    }

    @Test
    void redis() {
        TcpCheckRun ok = run(ProtocolChecks.redis());
        assertNull(ok.connected());
        assertEquals("*1\r\n$4\r\nPING\r\n", sent.toString(StandardCharsets.ISO_8859_1));
        assertVerdict(CheckStatus.L7OK, 0, "Redis server is ok", feed(ok, "+PONG\r\n"));

        TcpCheckRun closed = run(ProtocolChecks.redis());
        closed.connected();
        feed(closed, "OK then\r\n");
        assertVerdict(CheckStatus.L7STS, 0, "OK then", closed.closed());

        TcpCheckRun silent = run(ProtocolChecks.redis());
        silent.connected();
        feed(silent, "-ERR wrong\r\n");
        assertVerdict(CheckStatus.L7TOUT, 0, "", silent.timedOut());
    }

    @Test
    void sslHelloIsAnSslv3HelloAndAnyRecordPasses() {
        TcpCheckRun run = run(ProtocolChecks.sslHello());
        run.connected();
        byte[] hello = sent.toByteArray();
        assertEquals(5 + 0x79, hello.length);
        assertEquals("1603000079010000750300" + "5F5E1000", HexFormat.of().withUpperCase().formatHex(hello, 0, 15));
        assertEquals("HAPROXYSSLCHK\nHAPROXYSSLCHK\n", new String(hello, 15, 28, StandardCharsets.ISO_8859_1));
        assertNull(run.received(new byte[] {0x15, 0x03}, 0, 2));
        assertVerdict(CheckStatus.L6OK, 0, "", run.received(new byte[] {0x03, 0x00, 0x02}, 0, 3));

        TcpCheckRun bad = run(ProtocolChecks.sslHello());
        bad.connected();
        assertVerdict(CheckStatus.L6RSP, 0, "", feed(bad, "HTTP/1.0 400"));
        TcpCheckRun silent = run(ProtocolChecks.sslHello());
        silent.connected();
        assertVerdict(CheckStatus.L6TOUT, 0, "", silent.timedOut());
    }

    @Test
    void smtpGreetingHeloQuit() {
        TcpCheckRun run = run(ProtocolChecks.smtp("EHLO me.example"));
        assertNull(run.connected());
        assertNull(feed(run, "220 mail.example.com ESMTP\r\n"));
        assertEquals("EHLO me.example\r\n", sent.toString(StandardCharsets.ISO_8859_1));
        assertNull(feed(run, "250-mail.example.com\r\n"));
        assertNull(feed(run, "250 SIZE 100\r\n"));
        assertEquals("EHLO me.example\r\nQUIT\r\n", sent.toString(StandardCharsets.ISO_8859_1));
        assertVerdict(CheckStatus.L7OK, 221, "bye now", feed(run, "221 bye now\r\n"));

        TcpCheckRun refused = run(ProtocolChecks.smtp("HELO localhost"));
        refused.connected();
        assertVerdict(CheckStatus.L7STS, 554, "go away", feed(refused, "554 go away\r\n"));

        TcpCheckRun noQuit = run(ProtocolChecks.smtp("HELO localhost"));
        noQuit.connected();
        feed(noQuit, "220 hi\r\n");
        feed(noQuit, "250 ok\r\n");
        assertVerdict(CheckStatus.L7STS, 0, "TCPCHK got an empty response at step 7", noQuit.closed());
    }

    @Test
    void pgsql() {
        TcpCheckRun run = run(ProtocolChecks.pgsql("haproxy"));
        run.connected();
        assertEquals("00000016" + "00030000" + "7573657200" + "686170726f787900" + "00",
                HexFormat.of().formatHex(sent.toByteArray()));
        assertVerdict(CheckStatus.L7OK, 0, "PostgreSQL server is ok",
                run.received(HexFormat.of().parseHex("520000000800000000"), 0, 9));

        TcpCheckRun error = run(ProtocolChecks.pgsql("haproxy"));
        error.connected();
        assertVerdict(CheckStatus.L7RSP, 0, "FATAL", feed(error, "E\0\0\0\u0010SFATAL"));
    }

    @Test
    void mysqlHandshakeAndError() {
        byte[] handshake = HexFormat.of().parseHex("0a0000000a352e372e3000");
        byte[] packet = new byte[4 + handshake.length];
        packet[0] = (byte) handshake.length;
        System.arraycopy(handshake, 0, packet, 4, handshake.length);
        TcpCheckRun run = run(ProtocolChecks.mysql(null, true));
        assertNull(run.connected());
        assertNull(run.received(packet, 0, 6));
        assertVerdict(CheckStatus.L7OK, 0, "", run.received(packet, 6, packet.length - 6));

        TcpCheckRun denied = run(ProtocolChecks.mysql(null, true));
        denied.connected();
        byte[] body = "\u00ff\u0015\u0004#28000Access denied".getBytes(StandardCharsets.ISO_8859_1);
        byte[] error = new byte[4 + body.length];
        error[0] = (byte) body.length;
        error[3] = 1;
        System.arraycopy(body, 0, error, 4, body.length);
        assertVerdict(CheckStatus.L7STS, 0x0415, "#28000Access denied", denied.received(error, 0, error.length));
    }

    @Test
    void mysqlLoginPacketPost41() {
        run(ProtocolChecks.mysql("haproxy", true)).connected();
        byte[] login = sent.toByteArray();
        assertEquals(7 + 27 + 7, login[0]);
        assertEquals(1, login[3]);
        assertArrayEquals(HexFormat.of().parseHex("0100000001"), java.util.Arrays.copyOfRange(login,
                login.length - 5, login.length));
    }

    @Test
    void ldapBind() {
        TcpCheckRun ok = run(ProtocolChecks.ldap());
        ok.connected();
        assertEquals("300c020101600702010304008000", HexFormat.of().formatHex(sent.toByteArray()));
        byte[] success = HexFormat.of().parseHex("300c02010161070a010004000400");
        assertVerdict(CheckStatus.L7OK, 0, "", ok.received(success, 0, success.length));

        TcpCheckRun refused = run(ProtocolChecks.ldap());
        refused.connected();
        byte[] failure = HexFormat.of().parseHex("300c02010161070a013104000400");
        assertVerdict(CheckStatus.L7STS, 0x31, "See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9",
                refused.received(failure, 0, failure.length));

        TcpCheckRun other = run(ProtocolChecks.ldap());
        other.connected();
        assertVerdict(CheckStatus.L7RSP, 0, "Not LDAPv3 protocol", feed(other, "HTTP/1.0 400 Bad\r\n"));
    }
}
