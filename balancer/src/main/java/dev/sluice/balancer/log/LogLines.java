package dev.sluice.balancer.log;

/**
 * HAProxy 2.6's default log formats, written straight from a {@link LogRecord} into a reused
 * {@link StringBuilder} (no format string is interpreted, nothing is allocated):
 * <pre>
 * tcplog:  %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq
 * httplog: %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r
 * clf:     %{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl
 * </pre>
 * Captured headers and cookies are not kept yet, so %CC/%CS are "-" (quoted empty in clf) and
 * %hr/%hs are empty (HAProxy then writes nothing there, not even the separator).
 */
final class LogLines {
    static final String NO_SERVER = "<NOSRV>";
    static final String BAD_REQUEST = "<BADREQ>";

    private LogLines() {
    }

    static void tcp(StringBuilder out, Dates dates, LogRecord r, String frontend, int actconn, int feconn, long endNanos) {
        client(out, r);
        out.append(" [");
        dates.appendLogDate(out, r.acceptMillis);
        out.append("] ").append(frontend).append(' ');
        backendServer(out, r, frontend);
        out.append(' ');
        long connectStart = r.queuedUntilNanos;
        millis(out, r.acceptNanos, r.queuedUntilNanos);
        out.append('/');
        millis(out, connectStart, r.connectedNanos);
        out.append('/');
        asap(out, r);
        millis(out, r.acceptNanos, endNanos);
        out.append(' ');
        asap(out, r);
        out.append(r.bytesOut).append(' ').append(r.who).append(r.phase).append(' ');
        counters(out, r, actconn, feconn, '/');
    }

    static void http(StringBuilder out, Dates dates, LogRecord r, String frontend, int actconn, int feconn, long endNanos) {
        client(out, r);
        out.append(" [");
        dates.appendLogDate(out, r.startNanos == LogRecord.UNSET ? r.acceptMillis : r.startMillis);
        out.append("] ").append(frontend).append(' ');
        backendServer(out, r, frontend);
        out.append(' ');
        timers(out, r, endNanos, '/');
        out.append(' ').append(r.status).append(' ');
        asap(out, r);
        out.append(r.bytesOut).append(' ');
        orDash(out, r.cookieClient).append(' ');
        orDash(out, r.cookieServer).append(' ')
                .append(r.who).append(r.phase).append("-- ");
        counters(out, r, actconn, feconn, '/');
        out.append(' ');
        if (r.method != null) {
            // As HAProxy: a request never parsed has no capture blocks at all.
            captures(out, r.requestCaptured, r.log.plan().requestCaptures());
            captures(out, r.responseCaptured, r.log.plan().responseCaptures());
        }
        requestLine(out, r);
    }

    /** {@code {value|value} }: each value cut at its length and escaped as HAProxy does; nothing without captures. */
    private static void captures(StringBuilder out, CharSequence[] values, java.util.List<HeaderCapture> captures) {
        if (values.length == 0) {
            return;
        }
        out.append('{');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append('|');
            }
            CharSequence value = values[i];
            if (value != null) {
                int end = Math.min(value.length(), captures.get(i).length());
                for (int c = 0; c < end; c++) {
                    escaped(out, value.charAt(c));
                }
            }
        }
        out.append("} ");
    }

    /** HAProxy writes control bytes, '"', '#', '{', '|', '}' and bytes above 126 of a capture as #XX. */
    static void escaped(StringBuilder out, char c) {
        if (c < 0x20 || c > 0x7e || c == '"' || c == '#' || c == '{' || c == '|' || c == '}') {
            out.append('#').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        } else {
            out.append(c);
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * A request target as HAProxy logs it: control bytes, bytes above 126, {@code "} and {@code #}
     * as {@code #XX}, so a quoted request line stays one field.
     */
    static void uri(StringBuilder out, CharSequence uri, int from, int to) {
        int plain = from;
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '#') {
                out.append(uri, plain, i).append('#').append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                plain = i + 1;
            }
        }
        out.append(uri, plain, to);
    }

    static void clf(StringBuilder out, Dates dates, LogRecord r, String frontend, int actconn, int feconn, long endNanos) {
        if (r.client != null) {
            out.append(r.client.getAddress().getHostAddress());
        }
        out.append(" - - [");
        long millis = r.startNanos == LogRecord.UNSET ? r.acceptMillis : r.startMillis;
        dates.appendClfDate(out, millis);
        out.append("] ");
        requestLine(out, r);
        out.append(' ').append(r.status).append(' ');
        asap(out, r);
        out.append(r.bytesOut).append(" \"\" \"\" ")
                .append(r.client == null ? 0 : r.client.getPort()).append(' ');
        Dates.pad3(out, (int) Math.floorMod(r.acceptMillis, 1000L));
        out.append(" \"").append(frontend).append("\" \"").append(r.backend == null ? frontend : r.backend)
                .append("\" \"").append(r.server == null ? r.localServer() : r.server).append("\" ");
        timers(out, r, endNanos, ' ');
        out.append(' ').append(r.who).append(r.phase).append("-- ");
        counters(out, r, actconn, feconn, ' ');
        // %CC %CS quoted (empty without capture cookie); %hrl %hsl: no header captures here; the last
        // separator stays.
        out.append(" \"");
        if (r.cookieClient != null) {
            out.append(r.cookieClient);
        }
        out.append("\" \"");
        if (r.cookieServer != null) {
            out.append(r.cookieServer);
        }
        out.append("\" ");
    }

    private static StringBuilder orDash(StringBuilder out, CharSequence value) {
        return value == null ? out.append('-') : out.append(value);
    }

    private static void client(StringBuilder out, LogRecord r) {
        if (r.client == null) {
            out.append("-:-");
            return;
        }
        out.append(r.client.getAddress().getHostAddress()).append(':').append(r.client.getPort());
    }

    private static void backendServer(StringBuilder out, LogRecord r, String frontend) {
        out.append(r.backend == null ? frontend : r.backend).append('/').append(r.server == null ? r.localServer() : r.server);
    }

    /** TR/Tw/Tc/Tr/Ta: each phase from the end of the one before; -1 for a phase not reached. */
    private static void timers(StringBuilder out, LogRecord r, long endNanos, char separator) {
        millis(out, r.startNanos, r.headersNanos);
        out.append(separator);
        // A tarpit's hold counts as Tw, as HAProxy logs it.
        millis(out, r.waitFromNanos != LogRecord.UNSET ? r.waitFromNanos : r.headersNanos, r.queuedUntilNanos);
        out.append(separator);
        millis(out, r.queuedUntilNanos, r.connectedNanos);
        out.append(separator);
        millis(out, r.connectedNanos, r.responseNanos);
        out.append(separator);
        asap(out, r);
        millis(out, r.startNanos == LogRecord.UNSET ? r.acceptNanos : r.startNanos, endNanos);
    }

    /** {@code option logasap}: HAProxy's {@code +} before a total the line cannot know yet (bytes, Ta, Tt). */
    private static void asap(StringBuilder out, LogRecord r) {
        if (r.log.plan().extras().logAsap()) {
            out.append('+');
        }
    }

    private static void counters(StringBuilder out, LogRecord r, int actconn, int feconn, char separator) {
        out.append(actconn).append(separator).append(feconn).append(separator).append(r.backendConnections)
                .append(separator).append(r.serverConnections).append(separator)
                .append(r.redispatched ? "+" : "").append(r.retries)
                .append(separator == '/' ? ' ' : separator).append(0).append(separator).append(r.backendQueue);
    }

    private static void requestLine(StringBuilder out, LogRecord r) {
        out.append('"');
        if (r.method == null) {
            out.append(BAD_REQUEST);
        } else {
            out.append(r.method).append(' ');
            uri(out, r.uri, 0, r.uri.length());
            out.append(' ').append(r.version);
        }
        out.append('"');
    }

    private static void millis(StringBuilder out, long fromNanos, long toNanos) {
        if (fromNanos == LogRecord.UNSET || toNanos == LogRecord.UNSET) {
            out.append(-1);
            return;
        }
        out.append(Math.max(0, (toNanos - fromNanos) / 1_000_000));
    }
}
