package dev.sluice.balancer.check;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One run of a {@link TcpCheck} over one connection, as HAProxy 2.6's tcp-check engine evaluates it: sends
 * go out in order, each expect judges the bytes received since the last send (consecutive expects judge
 * the same bytes), an expect that cannot decide yet waits for more (its chain restarts from its head
 * when data arrives), and the end of the rules is a success. Pure logic: the caller feeds connection
 * events and writes what {@link Io#send} gets; every event returns the verdict, or null to keep waiting.
 */
final class TcpCheckRun {
    /** How much of the response a check keeps (HAProxy's check buffer: tune.bufsize, 16 kB by default). */
    static final int BUFFER_BYTES = 16 * 1024;
    private static final int INITIAL_BUFFER_BYTES = 256;

    /** Where the run's bytes go. */
    interface Io {
        void send(byte[] bytes);
    }

    private enum Eval { CONTINUE, WAIT, STOP }

    private final TcpCheck check;
    private final List<TcpCheckRule> rules;
    private final Io io;
    private final long unixSeconds;
    private byte[] input = new byte[INITIAL_BUFFER_BYTES];
    private int length;
    /** Bytes arrived since an expect last read. */
    private boolean fresh;
    private boolean closed;
    private int index = 1;
    /** The step HAProxy's messages name when the check ends while waiting. */
    private TcpCheckRule current;
    private boolean mustRead = true;
    private HttpProbeHandler.Verdict verdict;

    TcpCheckRun(TcpCheck check, Io io, long unixSeconds) {
        this.check = check;
        this.rules = check.rules();
        this.io = io;
        this.unixSeconds = unixSeconds;
        this.current = rules.getFirst();
    }

    /** The connection is up: run the rules after the connect. */
    HttpProbeHandler.Verdict connected() {
        return advance();
    }

    HttpProbeHandler.Verdict received(byte[] data, int offset, int count) {
        if (verdict != null) {
            return verdict;
        }
        int room = BUFFER_BYTES - length;
        int kept = Math.min(room, count);
        if (length + kept > input.length) {
            input = Arrays.copyOf(input, Math.min(BUFFER_BYTES, Math.max(input.length * 2, length + kept)));
        }
        System.arraycopy(data, offset, input, length, kept);
        length += kept;
        fresh = true;
        return advance();
    }

    /** The server closed (or reset after sending something). */
    HttpProbeHandler.Verdict closed() {
        closed = true;
        return advance();
    }

    /**
     * The connection failed after it was established, before anything was received: HAProxy's
     * SOCKERR. With bytes received, the rules judge them as if the server had closed.
     */
    HttpProbeHandler.Verdict failed(String error) {
        if (length > 0) {
            return closed();
        }
        return finish(CheckStatus.SOCKERR, 0, error + where());
    }

    /** The check's deadline passed while the rules waited. */
    HttpProbeHandler.Verdict timedOut() {
        if (verdict != null) {
            return verdict;
        }
        CheckStatus status = current instanceof TcpCheckRule.Expect e && e.toutStatus() != null
                ? e.toutStatus() : CheckStatus.L7TOUT;
        return finish(status, 0, where());
    }

    /** The texts of a failed connect: {@code Connection refused at initial connection step of tcp-check}. */
    static String connectFailure(TcpCheck check, String error) {
        return error + new TcpCheckRun(check, bytes -> { }, 0).where();
    }

    /** HAProxy's chk_report_conn_err suffix: which step the check was at, for a plain tcp-check only. */
    private String where() {
        if (!check.generic()) {
            return "";
        }
        int step = current.step();
        if (step == 0) {
            return " at initial connection step of tcp-check";
        }
        StringBuilder out = new StringBuilder(" at step ").append(step).append(" of tcp-check");
        switch (current) {
            case TcpCheckRule.Connect c -> out.append(c.port() != 0 ? " (connect port " + c.port() + ")" : " (connect)");
            case TcpCheckRule.Expect e -> out.append(e.describe());
            case TcpCheckRule.Send s -> out.append(" (send)");
        }
        if (!current.comment().isEmpty()) {
            out.append(" comment: '").append(current.comment()).append('\'');
        }
        return out.toString();
    }

    private HttpProbeHandler.Verdict advance() {
        if (verdict != null) {
            return verdict;
        }
        boolean lastRead = closed;
        while (index < rules.size()) {
            TcpCheckRule rule = rules.get(index);
            switch (rule) {
                case TcpCheckRule.Connect c -> index++;
                case TcpCheckRule.Send s -> {
                    current = s;
                    // HAProxy drops what was received before each send: the next expect judges the answer.
                    length = 0;
                    fresh = false;
                    mustRead = true;
                    io.send(bytes(s));
                    index++;
                }
                case TcpCheckRule.Expect e -> {
                    current = e;
                    if (mustRead) {
                        if (!fresh && !closed) {
                            return null;
                        }
                        if (length == 0) {
                            return finish(e.errorStatus() != null ? e.errorStatus() : CheckStatus.L7RSP, 0,
                                    "TCPCHK got an empty response at step " + e.step() + quoted(e.comment()));
                        }
                        fresh = false;
                        mustRead = false;
                        lastRead = closed;
                    }
                    Eval eval = expect(e, lastRead || length == BUFFER_BYTES);
                    if (eval == Eval.STOP) {
                        return verdict;
                    }
                    if (eval == Eval.WAIT) {
                        index = e.head();
                        current = rules.get(index);
                        mustRead = true;
                        return null;
                    }
                    index++;
                }
            }
        }
        return succeed(rules.getLast());
    }

    private HttpProbeHandler.Verdict succeed(TcpCheckRule last) {
        return switch (last) {
            case TcpCheckRule.Connect c -> finish(CheckStatus.L4OK, 0, c.implicit() ? "" : "(tcp-check)");
            case TcpCheckRule.Send s -> finish(CheckStatus.L7OK, 0, "(tcp-check)");
            case TcpCheckRule.Expect e -> {
                String info = e.onSuccess() != null ? render(e.onSuccess()) : check.generic() ? "(tcp-check)" : "";
                yield finish(e.okStatus() != null ? e.okStatus() : CheckStatus.L7OK, code(e), info);
            }
        };
    }

    private Eval expect(TcpCheckRule.Expect e, boolean lastRead) {
        if (e.match().custom()) {
            return custom(e, lastRead);
        }
        if (!lastRead) {
            if (e.literal() != null && length < e.literal().length) {
                return Eval.WAIT;
            }
            if (e.minRecv() > 0 && length < e.minRecv()) {
                return Eval.WAIT;
            }
        }
        boolean match = switch (e.match()) {
            case STRING, BINARY, STRING_LF, BINARY_LF -> indexOf(e.literal()) >= 0;
            case RSTRING -> e.regex().matcher(new String(input, 0, Math.min(length, BUFFER_BYTES - 1),
                    StandardCharsets.ISO_8859_1)).find();
            case RBINARY -> e.regex().matcher(HexFormat.of().withUpperCase().formatHex(input, 0, length)).find();
            default -> false;
        };
        if (!match && !lastRead && e.minRecv() == -1) {
            return Eval.WAIT;
        }
        if (match != e.negate()) {
            return Eval.CONTINUE;
        }
        fail(e, e.errorStatus() != null ? e.errorStatus() : CheckStatus.L7RSP, match, "", 0);
        return Eval.STOP;
    }

    /** HAProxy's failure text for an expect: the given detail, on-error, or its generic "TCPCHK …" words. */
    private void fail(TcpCheckRule.Expect e, CheckStatus status, boolean matched, String detail, int code) {
        StringBuilder info = new StringBuilder();
        if (!detail.isEmpty()) {
            info.append(detail);
        } else if (e.onError() != null) {
            info.append(render(e.onError()));
        } else if (check.generic()) {
            info.append(matched ? "TCPCHK matched unwanted content" : "TCPCHK did not match content");
            info.append(switch (e.match()) {
                case STRING -> " '" + e.pattern() + "'";
                case BINARY -> " (binary)";
                case RSTRING -> " (regex)";
                case RBINARY -> " (binary regex)";
                case STRING_LF -> " (log-format string)";
                case BINARY_LF -> " (log-format binary)";
                default -> " (custom function)";
            }).append(" at step ").append(e.step());
        }
        if (!e.comment().isEmpty()) {
            info.append(" comment: ").append(e.comment());
        }
        finish(status, e.statusCode() != null ? code(e) : code, info.toString());
    }

    /** The MySQL and LDAP judges of {@code option mysql-check} and {@code option ldap-check}. */
    private Eval custom(TcpCheckRule.Expect e, boolean lastRead) {
        return switch (e.match()) {
            case MYSQL_HANDSHAKE -> mysqlPacket(e, 0, lastRead);
            case MYSQL_OK -> mysqlPacket(e, length < 3 ? length : 4 + uint24(0), lastRead);
            default -> ldapBind(e);
        };
    }

    private Eval mysqlPacket(TcpCheckRule.Expect e, int offset, boolean lastRead) {
        if (length < offset + 4 || length < offset + 4 + uint24(offset)) {
            if (!lastRead) {
                return Eval.WAIT;
            }
            fail(e, CheckStatus.L7RSP, false, "", 0);
            return Eval.STOP;
        }
        if ((input[offset + 4] & 0xff) == 0xff) {
            int error = length > offset + 6 ? (input[offset + 5] & 0xff) | (input[offset + 6] & 0xff) << 8 : 0;
            String message = length > offset + 7
                    ? new String(input, offset + 7, length - offset - 7, StandardCharsets.ISO_8859_1) : "";
            if (message.indexOf('\0') >= 0) {
                message = message.substring(0, message.indexOf('\0')); // HAProxy copies it as a C string
            }
            fail(e, CheckStatus.L7STS, false, message, error);
            return Eval.STOP;
        }
        return Eval.CONTINUE;
    }

    private Eval ldapBind(TcpCheckRule.Expect e) {
        int size = length > 1 && (input[1] & 0x80) != 0 ? input[1] & 0x7f : 0;
        if (size > 2 || !at(2 + size, 0x02, 0x01, 0x01, 0x61)) {
            fail(e, CheckStatus.L7RSP, false, "Not LDAPv3 protocol", 0);
            return Eval.STOP;
        }
        size += length > size + 6 && (input[size + 6] & 0x80) != 0 ? input[size + 6] & 0x7f : 0;
        if (size > 4 || !at(7 + size, 0x0a, 0x01) || length <= size + 9) {
            fail(e, CheckStatus.L7RSP, false, "Not LDAPv3 protocol", 0);
            return Eval.STOP;
        }
        int result = input[size + 9] & 0xff;
        if (result != 0) {
            fail(e, CheckStatus.L7STS, false, "See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9", result);
            return Eval.STOP;
        }
        return Eval.CONTINUE;
    }

    private boolean at(int offset, int... expected) {
        if (offset + expected.length > length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((input[offset + i] & 0xff) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private int uint24(int offset) {
        return (input[offset] & 0xff) | (input[offset + 1] & 0xff) << 8 | (input[offset + 2] & 0xff) << 16;
    }

    private int indexOf(byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (input[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code status-code}: the leading digits of the fetched text, 0 when there are none. */
    private int code(TcpCheckRule.Expect e) {
        if (e.statusCode() == null) {
            return 0;
        }
        String text = render(e.statusCode()).trim();
        int end = 0;
        while (end < text.length() && end < 9 && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(text.substring(0, end));
    }

    private byte[] bytes(TcpCheckRule.Send s) {
        String text = s.data().render(input, length, unixSeconds);
        return s.binary() ? HexFormat.of().parseHex(text) : text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String render(CheckText text) {
        return text.render(input, length, unixSeconds);
    }

    private static String quoted(String comment) {
        return comment.isEmpty() ? "" : " comment: '" + comment + "'";
    }

    private HttpProbeHandler.Verdict finish(CheckStatus status, int code, String info) {
        verdict = new HttpProbeHandler.Verdict(status, code, info);
        return verdict;
    }
}
