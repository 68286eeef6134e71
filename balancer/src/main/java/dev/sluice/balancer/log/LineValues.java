package dev.sluice.balancer.log;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The value of each {@link LogVariable} for one record, appended to the line. A method returns
 * false when the value does not exist (the caller writes {@code -} or {@code ""}). Timers follow
 * {@link LogLines}: each phase from the end of the one before, -1 for a phase not reached.
 */
final class LineValues {
    private static final String HOST_NAME = hostName();
    private static final long PID = ProcessHandle.current().pid();
    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    private LineValues() {
    }

    static boolean isCaptureList(LogVariable v) {
        return v == LogVariable.REQUEST_HEADERS || v == LogVariable.RESPONSE_HEADERS
                || v == LogVariable.REQUEST_HEADER_LIST || v == LogVariable.RESPONSE_HEADER_LIST;
    }

    static boolean isAddress(LogVariable v) {
        return v == LogVariable.CLIENT_IP || v == LogVariable.FRONTEND_IP || v == LogVariable.SERVER_IP
                || v == LogVariable.BACKEND_SOURCE_IP;
    }

    static boolean append(StringBuilder out, LogVariable v, int flags, LogRecord r, LineInputs in) {
        boolean hex = (flags & LineFormat.HEX) != 0;
        return switch (v) {
            case CLIENT_IP -> r.client != null && (hex ? address(out, r.client.getAddress(), true)
                    : text(out, r.clientIpText()));
            case CLIENT_PORT -> r.client != null && port(out, r.client.getPort(), hex);
            case FRONTEND_IP -> frontendIp(out, r.view(), hex);
            case FRONTEND_PORT -> frontendPort(out, r.view(), hex);
            case BACKEND_SOURCE_IP -> r.serverSource != null && address(out, r.serverSource.getAddress(), hex);
            case BACKEND_SOURCE_PORT -> r.serverSource != null && port(out, r.serverSource.getPort(), hex);
            case SERVER_IP -> r.serverAddress() != null && address(out, r.serverAddress().getAddress(), hex);
            case SERVER_PORT -> r.serverAddress() != null && port(out, r.serverAddress().getPort(), hex);
            case FRONTEND, FRONTEND_TRANSPORT -> text(out, in.frontend);
            case BACKEND -> text(out, r.backend == null ? in.frontend : r.backend);
            case SERVER -> text(out, r.server == null ? r.localServer() : r.server);
            case HOSTNAME -> text(out, HOST_NAME);
            case PID -> hex ? hex4(out, PID) : number(out, PID);
            // Generated before the line by the access log, never while a line renders (HAProxy: "-" inside its own format).
            case UNIQUE_ID -> text(out, r.uniqueId);
            case COOKIE_CLIENT -> text(out, r.cookieClient);
            case COOKIE_SERVER -> text(out, r.cookieServer);
            case LOG_COUNTER -> hex ? hex4(out, in.lineNumber) : number(out, in.lineNumber);
            case REQUEST_COUNTER -> hex ? hex4(out, in.requestNumber) : number(out, in.requestNumber);
            case ACCEPT_DATE -> {
                in.local.appendLogDate(out, r.acceptMillis);
                yield true;
            }
            case REQUEST_DATE -> {
                in.local.appendLogDate(out, requestMillis(r));
                yield true;
            }
            case REQUEST_DATE_GMT -> {
                in.gmt.appendClfDate(out, requestMillis(r));
                yield true;
            }
            case REQUEST_DATE_LOCAL -> {
                in.local.appendClfDate(out, requestMillis(r));
                yield true;
            }
            case ACCEPT_DATE_GMT -> {
                in.gmt.appendClfDate(out, r.acceptMillis);
                yield true;
            }
            case ACCEPT_DATE_LOCAL -> {
                in.local.appendClfDate(out, r.acceptMillis);
                yield true;
            }
            case TIMESTAMP -> {
                long seconds = Math.floorDiv(r.acceptMillis, 1000L);
                yield hex ? hex4(out, seconds) : number(out, seconds);
            }
            case MILLISECONDS -> {
                int ms = (int) Math.floorMod(r.acceptMillis, 1000L);
                if (hex) {
                    hexDigits(out, ms, 2);
                } else {
                    Dates.pad3(out, ms);
                }
                yield true;
            }
            // No TLS handshake here (the terminator does it) and the PROXY header comes with the first bytes.
            case TH -> number(out, 0);
            case TI -> millis(out, r.idleFromNanos, r.startNanos == LogRecord.UNSET ? in.endNanos : r.startNanos);
            case TR -> millis(out, r.startNanos, r.headersNanos);
            case TQ -> millis(out, r.idleFromNanos, r.headersNanos);
            case TW -> millis(out, r.waitFromNanos != LogRecord.UNSET ? r.waitFromNanos
                    : r.headersNanos == LogRecord.UNSET ? r.acceptNanos : r.headersNanos, r.queuedUntilNanos);
            case TC -> millis(out, r.queuedUntilNanos, r.connectedNanos);
            case TR_RESPONSE -> millis(out, r.connectedNanos, r.responseNanos);
            case TA -> millis(out, r.startNanos == LogRecord.UNSET ? r.acceptNanos : r.startNanos, in.endNanos,
                    in.logAsap);
            // The data phase starts with the response head in HTTP, with the server connection in TCP.
            case TD -> millis(out, in.http ? r.responseNanos : r.connectedNanos, in.endNanos);
            case TT -> millis(out, r.idleFromNanos, in.endNanos, in.logAsap);
            case TU -> millis(out, r.startNanos == LogRecord.UNSET ? r.idleFromNanos : r.startNanos, in.endNanos,
                    in.logAsap);
            case STATUS -> {
                // HAProxy: -1 for an HTTP exchange that got no status, 0 in TCP where there is none.
                out.append(r.status < 0 && !in.http ? 0 : r.status);
                yield true;
            }
            case BYTES_OUT -> {
                if (in.logAsap) {
                    out.append('+');
                }
                yield number(out, r.bytesOut);
            }
            case BYTES_IN -> number(out, r.bytesIn);
            case TERMINATION -> {
                out.append(r.who).append(r.phase);
                yield true;
            }
            case TERMINATION_COOKIE -> {
                out.append(r.who).append(r.phase).append("--");
                yield true;
            }
            case ACTCONN -> number(out, r.actconn);
            case FECONN -> number(out, r.feconn);
            case BECONN -> number(out, r.backendConnections);
            case SRVCONN -> number(out, r.serverConnections);
            case RETRIES -> {
                if (r.redispatched) {
                    out.append('+'); // a retry went to another server
                }
                yield number(out, r.retries);
            }
            // Requests wait in their backend's queue here, never in a server's own.
            case SERVER_QUEUE -> number(out, 0);
            case BACKEND_QUEUE -> number(out, r.backendQueue);
            case REQUEST -> {
                if (r.method == null) {
                    out.append(LogLines.BAD_REQUEST);
                } else {
                    out.append(r.method).append(' ');
                    LogLines.uri(out, r.uri, 0, r.uri.length());
                    out.append(' ').append(r.version);
                }
                yield true;
            }
            case METHOD -> requestPart(out, r, r.method);
            case URI -> r.method == null ? requestPart(out, r, null) : path(out, r.uri, false, true);
            case VERSION -> requestPart(out, r, r.version);
            case PATH -> r.method == null ? requestPart(out, r, null) : path(out, r.uri, false, false);
            case PATH_ONLY -> r.method == null ? requestPart(out, r, null) : path(out, r.uri, true, false);
            case QUERY -> r.method == null ? requestPart(out, r, null) : query(out, r.uri);
            case SSL_CIPHER -> r.view() != null && text(out, r.view().proxySslCipher());
            case SSL_VERSION -> r.view() != null && text(out, r.view().proxySslVersion());
            case REQUEST_HEADERS, RESPONSE_HEADERS, REQUEST_HEADER_LIST, RESPONSE_HEADER_LIST ->
                    throw new IllegalStateException("captures are written by captures()");
        };
    }

    /**
     * {@code %hr}/{@code %hs}: {@code {v1|v2}}; {@code %hrl}/{@code %hsl}: the values separated by
     * spaces, each {@code -} when absent. Nothing at all (not even quotes) when no header is captured
     * or the request was never parsed, as HAProxy. Values are cut at their length and escaped.
     */
    static boolean captures(StringBuilder out, LogVariable v, int flags, LogRecord r) {
        boolean request = v == LogVariable.REQUEST_HEADERS || v == LogVariable.REQUEST_HEADER_LIST;
        CharSequence[] values = request ? r.requestCaptured : r.responseCaptured;
        if (values.length == 0 || r.method == null) {
            return false;
        }
        List<HeaderCapture> captures = request ? r.log.plan().requestCaptures() : r.log.plan().responseCaptures();
        boolean quote = (flags & LineFormat.QUOTE) != 0;
        boolean list = v == LogVariable.REQUEST_HEADER_LIST || v == LogVariable.RESPONSE_HEADER_LIST;
        if (!list) {
            if (quote) {
                out.append('"');
            }
            out.append('{');
        }
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(list ? ' ' : '|');
            }
            CharSequence value = values[i];
            if (list && quote) {
                out.append('"');
            }
            if (value != null && !value.isEmpty()) {
                int end = Math.min(value.length(), captures.get(i).length());
                for (int c = 0; c < end; c++) {
                    LogLines.escaped(out, value.charAt(c));
                }
            } else if (list && !quote) {
                out.append('-');
            }
            if (list && quote) {
                out.append('"');
            }
        }
        if (!list) {
            out.append('}');
            if (quote) {
                out.append('"');
            }
        }
        return true;
    }

    private static boolean frontendIp(StringBuilder out, RequestView view, boolean hex) {
        return view != null && view.destination() != null && ip(out, view.destination(), hex);
    }

    private static boolean frontendPort(StringBuilder out, RequestView view, boolean hex) {
        return view != null && view.destinationPort() >= 0 && port(out, view.destinationPort(), hex);
    }

    private static long requestMillis(LogRecord r) {
        return r.startNanos == LogRecord.UNSET ? r.acceptMillis : r.startMillis;
    }

    /** Request parts of a request never parsed are HAProxy's {@code <BADREQ>}. */
    private static boolean requestPart(StringBuilder out, LogRecord r, CharSequence part) {
        if (r.method == null) {
            out.append(LogLines.BAD_REQUEST);
            return true;
        }
        return text(out, part);
    }

    private static int queryStart(CharSequence uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '?') {
                return i;
            }
        }
        return uri.length();
    }

    /**
     * {@code %HP}: the target without its query; {@code %HPO} also without scheme and authority;
     * {@code %HU} ({@code withQuery}) all of it. Encoded as in {@code %r}.
     */
    private static boolean path(StringBuilder out, CharSequence uri, boolean only, boolean withQuery) {
        if (uri == null || uri.isEmpty()) {
            return false;
        }
        int end = withQuery ? uri.length() : queryStart(uri);
        int from = 0;
        if (only && uri.charAt(0) != '/') {
            int scheme = indexOf(uri, "://", end);
            if (scheme >= 0) {
                int slash = indexOf(uri, "/", end, scheme + 3);
                from = slash < 0 ? end : slash;
            }
        }
        if (from >= end) {
            return false;
        }
        LogLines.uri(out, uri, from, end);
        return true;
    }

    private static boolean query(StringBuilder out, CharSequence uri) {
        if (uri == null) {
            return false;
        }
        int q = queryStart(uri);
        if (q == uri.length()) {
            return false;
        }
        LogLines.uri(out, uri, q, uri.length());
        return true;
    }

    private static int indexOf(CharSequence s, String what, int end) {
        return indexOf(s, what, end, 0);
    }

    private static int indexOf(CharSequence s, String what, int end, int from) {
        outer:
        for (int i = from; i + what.length() <= end; i++) {
            for (int j = 0; j < what.length(); j++) {
                if (s.charAt(i + j) != what.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean text(StringBuilder out, CharSequence value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        out.append(value);
        return true;
    }

    private static boolean number(StringBuilder out, long value) {
        if (value < 0) {
            return false;
        }
        out.append(value);
        return true;
    }

    /** HAProxy's {@code %04X} for ports, timestamps, pids and counters under {@code +X}. */
    private static boolean hex4(StringBuilder out, long value) {
        if (value < 0) {
            return false;
        }
        hexDigits(out, value, 4);
        return true;
    }

    private static void hexDigits(StringBuilder out, long value, int digits) {
        int width = Math.max(digits, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int shift = (width - 1) * 4; shift >= 0; shift -= 4) {
            out.append(HEX_DIGITS[(int) (value >>> shift) & 0xf]);
        }
    }

    private static boolean port(StringBuilder out, int port, boolean hex) {
        if (port < 0) {
            return false;
        }
        return hex ? hex4(out, port) : number(out, port);
    }

    private static boolean address(StringBuilder out, InetAddress address, boolean hex) {
        return address != null && ip(out, IpAddress.of(address), hex);
    }

    /** An address as HAProxy writes it (RFC 5952 for IPv6), or its bytes in hexadecimal under {@code +X}. */
    private static boolean ip(StringBuilder out, IpAddress address, boolean hex) {
        if (!hex) {
            out.append(address.toString());
            return true;
        }
        if (address.v4()) {
            hexDigits(out, address.v4Bits() & 0xffffffffL, 8);
        } else {
            hexDigits(out, address.hi(), 16);
            hexDigits(out, address.lo(), 16);
        }
        return true;
    }

    /** A total that goes on after a logasap line: HAProxy writes {@code +} before it. */
    private static boolean millis(StringBuilder out, long fromNanos, long toNanos, boolean notFinal) {
        if (notFinal) {
            out.append('+');
        }
        return millis(out, fromNanos, toNanos);
    }

    private static boolean millis(StringBuilder out, long fromNanos, long toNanos) {
        if (fromNanos == LogRecord.UNSET || toNanos == LogRecord.UNSET) {
            out.append(-1);
        } else {
            out.append(Math.max(0, (toNanos - fromNanos) / 1_000_000));
        }
        return true;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
