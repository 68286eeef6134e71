package dev.sluice.balancer.check;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One step of a {@code tcp-check} ruleset (or of a protocol check built from one), as HAProxy 2.6 runs
 * it. Every rule knows its HAProxy step number: the 1-based position of its {@code tcp-check} line
 * (comment lines count), which HAProxy's messages quote ("at step 2"); an implicit first connect is step 0.
 */
public sealed interface TcpCheckRule {

    /** The number HAProxy's messages give this step. */
    int step();

    /** The comment a failure message quotes, empty for none. */
    String comment();

    /**
     * {@code tcp-check connect [default] [port N] [addr IP] [send-proxy] [linger] [comment C]}.
     *
     * @param port      0: the check port ({@code port}) or the server's
     * @param address   null: the check address ({@code addr}) or the server's
     * @param sendProxy send a PROXY header first
     * @param implicit  inserted because the ruleset did not start with a connect
     * @param serverDefaults {@code default}: the server's check settings apply ({@code check-send-proxy}); the
     *                  implicit connect has them too
     */
    record Connect(int step, String comment, int port, InetAddress address, boolean sendProxy, boolean implicit,
                   boolean serverDefaults) implements TcpCheckRule {
        public static final Connect IMPLICIT = new Connect(0, "", 0, null, false, true, true);

        /** An explicit connect without {@code default}. */
        public Connect(int step, String comment, int port, InetAddress address, boolean sendProxy, boolean implicit) {
            this(step, comment, port, address, sendProxy, implicit, false);
        }

        public Connect {
            Objects.requireNonNull(comment, "comment");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
            }
        }
    }

    /** {@code tcp-check send|send-binary|send-lf|send-binary-lf}: bytes built when the step runs. */
    record Send(int step, String comment, CheckText data, boolean binary) implements TcpCheckRule {
        public Send {
            Objects.requireNonNull(comment, "comment");
            Objects.requireNonNull(data, "data");
        }
    }

    /** The pattern forms of {@code tcp-check expect}, and the custom judges of the protocol checks. */
    enum Match {
        STRING("string"), RSTRING("rstring"), BINARY("binary"), RBINARY("rbinary"),
        STRING_LF("string-lf"), BINARY_LF("binary-lf"),
        /** {@code option mysql-check}: the server's handshake packet. */
        MYSQL_HANDSHAKE("custom"),
        /** {@code option mysql-check user U}: the packet after the handshake. */
        MYSQL_OK("custom"),
        /** {@code option ldap-check}: the bind response. */
        LDAP_BIND("custom");

        private final String keyword;

        Match(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        boolean custom() {
            return keyword.equals("custom");
        }
    }

    /**
     * {@code tcp-check expect [min-recv N] [comment C] [ok-status S] [error-status S] [tout-status S]
     * [on-success FMT] [on-error FMT] [status-code EXPR] [!] MATCH PATTERN}.
     *
     * @param literal     the bytes to find for string/binary (and the *-lf forms, whose text has no variable)
     * @param regex       for rstring/rbinary (rbinary matches the upper-case hex dump of the input)
     * @param minRecv     -1: not set; else how many bytes to wait for before judging
     * @param okStatus    null: L7OK
     * @param errorStatus null: L7RSP
     * @param toutStatus  null: L7TOUT
     * @param onSuccess   null: HAProxy's default text
     * @param onError     null: HAProxy's default text
     * @param statusCode  null: none; else where the check's code is read from the response
     * @param head        the step the chain of expects restarts from when it waits for more data
     */
    record Expect(int step, String comment, Match match, boolean negate, String pattern, byte[] literal,
                  Pattern regex, int minRecv, CheckStatus okStatus, CheckStatus errorStatus,
                  CheckStatus toutStatus, CheckText onSuccess, CheckText onError, CheckText statusCode,
                  int head) implements TcpCheckRule {
        public Expect {
            Objects.requireNonNull(comment, "comment");
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(pattern, "pattern");
            if ((match == Match.RSTRING || match == Match.RBINARY) && regex == null) {
                throw new IllegalArgumentException(match.keyword() + ": a regex is required");
            }
            if (minRecv < -1) {
                throw new IllegalArgumentException("min-recv: " + minRecv + " (expected: -1 or more)");
            }
        }

        /** A copy that restarts from {@code newHead} when it waits. */
        Expect withHead(int newHead) {
            return new Expect(step, comment, match, negate, pattern, literal, regex, minRecv, okStatus, errorStatus,
                    toutStatus, onSuccess, onError, statusCode, newHead);
        }

        /** HAProxy's words for this expect in a timeout message: {@code (expect string 'PONG')}. */
        String describe() {
            return switch (match) {
                case STRING -> " (expect string '" + pattern + "')";
                case BINARY -> " (expect binary '" + HexFormat.of().withUpperCase().formatHex(literal) + "')";
                case RSTRING -> " (expect regex)";
                case RBINARY -> " (expect binary regex)";
                case STRING_LF -> " (expect log-format string)";
                case BINARY_LF -> " (expect log-format binary)";
                default -> " (expect custom function)";
            };
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Expect e && e.step == step && e.match == match && e.negate == negate
                    && e.pattern.equals(pattern) && e.minRecv == minRecv && e.head == head
                    && Arrays.equals(e.literal, literal) && e.comment.equals(comment);
        }

        @Override
        public int hashCode() {
            return Objects.hash(step, match, negate, pattern, minRecv, head);
        }
    }
}
