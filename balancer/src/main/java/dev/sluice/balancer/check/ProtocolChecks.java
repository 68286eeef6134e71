package dev.sluice.balancer.check;

import dev.sluice.balancer.check.TcpCheckRule.Connect;
import dev.sluice.balancer.check.TcpCheckRule.Expect;
import dev.sluice.balancer.check.TcpCheckRule.Match;
import dev.sluice.balancer.check.TcpCheckRule.Send;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The protocol checks HAProxy 2.6 defines as fixed tcp-check rulesets, with the same bytes, patterns,
 * statuses and texts (facts from HAProxy's configuration manual and its tcp-check rulesets). Step numbers
 * are HAProxy's rule indexes plus one.
 */
public final class ProtocolChecks {
    /** {@code option redis-check}: PING as a RESP array. */
    static final String REDIS_PING = "*1\r\n$4\r\nPING\r\n";
    private static final String SSL_HELLO_RANDOM = "HAPROXYSSLCHK\nHAPROXYSSLCHK\n";
    /** The SSLv3 client hello's cipher list: 0x0001 to 0x001B and 0x002F to 0x003A. */
    private static final String SSL_HELLO_CIPHERS = ciphers();
    private static final String LDAP_SIMPLE_BIND = "300C020101600702010304008000";
    /** {@code tcp-check connect default linger}. */
    private static final Connect DEFAULT_LINGER = new Connect(1, "", 0, null, false, false, true);

    private ProtocolChecks() {
    }

    public static TcpCheck redis() {
        return new TcpCheck(TcpCheck.Kind.REDIS, List.of(
                send(1, REDIS_PING, false),
                expect(2, Match.STRING, "+PONG\r\n", -1, null, CheckStatus.L7STS, null,
                        CheckText.literal("Redis server is ok"), payloadText(0, 0, (char) 0), null)));
    }

    /**
     * {@code option ssl-hello-chk}: an SSLv3 client hello whose time field is the current time; any TLS
     * handshake (0x16) or alert (0x15) record back is a pass (L6OK).
     */
    public static TcpCheck sslHello() {
        String head = "16" + "0300" + "0079" + "01" + "000075" + "0300";
        String tail = HexFormat.of().withUpperCase().formatHex(SSL_HELLO_RANDOM.getBytes(StandardCharsets.ISO_8859_1))
                + "00" + "004E" + SSL_HELLO_CIPHERS + "01" + "00";
        CheckText hello = new CheckText(List.of(new CheckText.Literal(head), new CheckText.UnixTimeHex(),
                new CheckText.Literal(tail)));
        return new TcpCheck(TcpCheck.Kind.SSL_HELLO, List.of(
                new Send(1, "", hello, true),
                expect(2, Match.RBINARY, "^1[56]", 5, CheckStatus.L6OK, CheckStatus.L6RSP, CheckStatus.L6TOUT,
                        null, null, null)));
    }

    /**
     * {@code option smtpchk [HELO|EHLO DOMAIN]}: {@code command} is "HELO localhost" by default. As Debian's
     * haproxy 2.6 does (seen on the wire): greeting, HELO/EHLO, QUIT, and the reply to QUIT is the verdict.
     */
    public static TcpCheck smtp(String command) {
        CheckText afterCode = payloadText(4, 0, ' ');
        return new TcpCheck(TcpCheck.Kind.SMTP, List.of(
                DEFAULT_LINGER,
                expect(2, Match.RSTRING, "^[0-9]{3}[ \r]", 4, null, CheckStatus.L7RSP, null, null,
                        payloadText(0, 0, (char) 0), null),
                expect(3, Match.RSTRING, "^2[0-9]{2}[ \r]", 4, null, CheckStatus.L7STS, null, null, afterCode,
                        code()),
                send(4, command + "\r\n", false),
                // The whole (possibly multi-line, EHLO) reply: no min-recv, so anything else waits for the timeout.
                expect(5, Match.RSTRING, "^(2[0-9]{2}-[^\r]*\r\n)*2[0-9]{2}[ \r]", -1, null, CheckStatus.L7STS, null,
                        null, afterCode, code()),
                send(6, "QUIT\r\n", false),
                expect(7, Match.RSTRING, "^2[0-9]{2}[- \r]", 4, null, CheckStatus.L7STS, null, afterCode,
                        afterCode, code())));
    }

    /** {@code option pgsql-check user U}: a startup message; an authentication request or OK is a pass. */
    public static TcpCheck pgsql(String user) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        String startup = HexFormat.of().toHexDigits(15 + name.length) + "00030000" + "7573657200"
                + HexFormat.of().formatHex(name) + "00" + "00";
        return new TcpCheck(TcpCheck.Kind.PGSQL, List.of(
                DEFAULT_LINGER,
                new Send(2, "", CheckText.literal(startup), true),
                negated(expect(3, Match.RSTRING, "^E", 5, null, CheckStatus.L7RSP, null, null,
                        new CheckText(List.of(new CheckText.Payload(6, 0, (char) 0, false))), null)),
                expect(4, Match.RBINARY, "^52000000(08|0A|0C)000000(00|02|03|04|05|06)", 9, null, CheckStatus.L7STS,
                        null, CheckText.literal("PostgreSQL server is ok"),
                        CheckText.literal("PostgreSQL unknown error"), null)));
    }

    /**
     * {@code option mysql-check [user U [post-41|pre-41]]}: without a user, the server's handshake alone;
     * with one, a login packet and QUIT, and the answer after the handshake must not be an error.
     */
    public static TcpCheck mysql(String user, boolean post41) {
        if (user == null) {
            return new TcpCheck(TcpCheck.Kind.MYSQL, List.of(DEFAULT_LINGER, custom(2, Match.MYSQL_HANDSHAKE)));
        }
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        int packet = name.length + 7 + (post41 ? 27 : 0);
        String header = HexFormat.of().formatHex(new byte[] {(byte) packet, (byte) (packet >> 8),
                (byte) (packet >> 16), 1});
        String login = post41
                ? header + "00820000" + "00800001" + "21" + "00".repeat(23) + HexFormat.of().formatHex(name) + "00"
                : header + "0080" + "000001" + HexFormat.of().formatHex(name) + "00";
        String quit = "00" + "010000" + "00" + "01";
        return new TcpCheck(TcpCheck.Kind.MYSQL, List.of(DEFAULT_LINGER,
                new Send(2, "", CheckText.literal(login + quit), true),
                custom(3, Match.MYSQL_HANDSHAKE), custom(4, Match.MYSQL_OK)));
    }

    /** {@code option ldap-check}: an anonymous LDAPv3 simple bind; resultCode 0 is a pass. */
    public static TcpCheck ldap() {
        return new TcpCheck(TcpCheck.Kind.LDAP, List.of(
                new Send(1, "", CheckText.literal(LDAP_SIMPLE_BIND), true),
                expect(2, Match.RBINARY, "^30", 14, null, null, null, null,
                        CheckText.literal("Not LDAPv3 protocol"), null),
                custom(3, Match.LDAP_BIND)));
    }

    private static String ciphers() {
        StringBuilder out = new StringBuilder();
        for (int suite = 0x01; suite <= 0x3A; suite = suite == 0x1B ? 0x2F : suite + 1) {
            out.append(HexFormat.of().withUpperCase().toHexDigits((short) suite));
        }
        return out.toString();
    }

    private static Send send(int step, String text, boolean binary) {
        return new Send(step, "", CheckText.literal(text), binary);
    }

    private static Expect expect(int step, Match match, String pattern, int minRecv, CheckStatus ok,
                                 CheckStatus error, CheckStatus timeout, CheckText onSuccess, CheckText onError,
                                 CheckText statusCode) {
        boolean regex = match == Match.RSTRING || match == Match.RBINARY;
        return new Expect(step, "", match, false, pattern,
                regex ? null : pattern.getBytes(StandardCharsets.ISO_8859_1), regex ? Pattern.compile(pattern) : null,
                minRecv, ok, error, timeout, onSuccess, onError, statusCode, 0);
    }

    private static Expect negated(Expect e) {
        return new Expect(e.step(), e.comment(), e.match(), true, e.pattern(), e.literal(), e.regex(), e.minRecv(),
                e.okStatus(), e.errorStatus(), e.toutStatus(), e.onSuccess(), e.onError(), e.statusCode(), 0);
    }

    private static Expect custom(int step, Match match) {
        return new Expect(step, "", match, false, "", null, null, -1, null, null, null, null, null, null, 0);
    }

    /** {@code %[res.payload(OFFSET,0),ltrim(C),cut_crlf]}. */
    private static CheckText payloadText(int offset, int length, char ltrim) {
        return new CheckText(List.of(new CheckText.Payload(offset, length, ltrim, true)));
    }

    /** {@code status-code res.payload(0,3)}: the SMTP reply code. */
    private static CheckText code() {
        return new CheckText(List.of(new CheckText.Payload(0, 3, (char) 0, false)));
    }
}
