package dev.sluice.balancer.log;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code %X} variables of HAProxy 2.6's log-format (configuration manual, section 8.2.4) that
 * the access log can fill from a {@link LogRecord}. {@code quoted}: {@code +Q} puts the value in
 * double quotes (names, addresses, request parts); numbers, dates, timers and the termination
 * state are never quoted, as HAProxy writes them. Variables HAProxy has but we cannot fill are in
 * {@link #UNSUPPORTED}, with the reason shown at configuration time.
 */
enum LogVariable {
    CLIENT_IP("ci", true),
    CLIENT_PORT("cp", false),
    FRONTEND_IP("fi", true),
    FRONTEND_PORT("fp", false),
    BACKEND_SOURCE_IP("bi", true),
    BACKEND_SOURCE_PORT("bp", false),
    SERVER_IP("si", true),
    SERVER_PORT("sp", false),
    FRONTEND("f", true),
    FRONTEND_TRANSPORT("ft", true),
    BACKEND("b", true),
    SERVER("s", true),
    HOSTNAME("H", true),
    PID("pid", false),
    UNIQUE_ID("ID", true),
    LOG_COUNTER("lc", false),
    REQUEST_COUNTER("rt", false),
    ACCEPT_DATE("t", false),
    REQUEST_DATE("tr", false, true),
    REQUEST_DATE_GMT("trg", false, true),
    REQUEST_DATE_LOCAL("trl", false, true),
    ACCEPT_DATE_GMT("T", false),
    ACCEPT_DATE_LOCAL("Tl", false),
    TIMESTAMP("Ts", false),
    MILLISECONDS("ms", false),
    TH("Th", false),
    TI("Ti", false, true),
    TR("TR", false, true),
    TQ("Tq", false, true),
    TW("Tw", false),
    TC("Tc", false),
    TR_RESPONSE("Tr", false, true),
    TA("Ta", false, true),
    TD("Td", false),
    TT("Tt", false),
    TU("Tu", false),
    STATUS("ST", false),
    BYTES_OUT("B", false),
    BYTES_IN("U", false),
    COOKIE_CLIENT("CC", true, true),
    COOKIE_SERVER("CS", true, true),
    TERMINATION("ts", false),
    TERMINATION_COOKIE("tsc", false),
    ACTCONN("ac", false),
    FECONN("fc", false),
    BECONN("bc", false),
    SRVCONN("sc", false),
    RETRIES("rc", false),
    SERVER_QUEUE("sq", false),
    BACKEND_QUEUE("bq", false),
    REQUEST_HEADERS("hr", true),
    REQUEST_HEADER_LIST("hrl", true),
    RESPONSE_HEADERS("hs", true),
    RESPONSE_HEADER_LIST("hsl", true),
    REQUEST("r", true, true),
    METHOD("HM", true, true),
    URI("HU", true, true),
    PATH("HP", true, true),
    PATH_ONLY("HPO", true, true),
    QUERY("HQ", true, true),
    VERSION("HV", true, true),
    SSL_CIPHER("sslc", true),
    SSL_VERSION("sslv", true);

    /** HAProxy 2.6 variables we know but cannot fill truthfully yet, with why (none today). */
    static final Map<String, String> UNSUPPORTED = Map.of();

    private static final Map<String, LogVariable> BY_NAME = new HashMap<>();

    static {
        for (LogVariable v : values()) {
            BY_NAME.put(v.written, v);
        }
    }

    final String written;
    final boolean quoted;
    /** HAProxy refuses it in a {@code mode tcp} proxy ("reserved for HTTP mode"). */
    final boolean httpOnly;

    LogVariable(String written, boolean quoted) {
        this(written, quoted, false);
    }

    LogVariable(String written, boolean quoted, boolean httpOnly) {
        this.written = written;
        this.quoted = quoted;
        this.httpOnly = httpOnly;
    }

    /** The variable written {@code %name}, or null. */
    static LogVariable named(String name) {
        return BY_NAME.get(name);
    }
}
