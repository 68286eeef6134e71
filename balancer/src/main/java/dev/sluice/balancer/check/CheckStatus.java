package dev.sluice.balancer.check;

/**
 * The outcome of one health check, with HAProxy's numeric status (as {@code show servers state} prints
 * it), its short name (as the stats page shows it) and the reason its logs give.
 */
public enum CheckStatus {
    INI(1, "INI", "Initializing", false),
    /** An agent's reply that announced no health (a weight or an admin state only): neither pass nor failure. */
    CHECKED(3, "CHECKED", "No status change", true),
    /** Live traffic to the server ({@code observe}) failed {@code error-limit} times in a row. */
    HANA(4, "HANA", "Health analyze", false),
    SOCKERR(5, "SOCKERR", "Socket error", false),
    L4OK(6, "L4OK", "Layer4 check passed", true),
    L4TOUT(7, "L4TOUT", "Layer4 timeout", false),
    L4CON(8, "L4CON", "Layer4 connection problem", false),
    /** {@code option ssl-hello-chk}: the server answered the hello with a TLS record. */
    L6OK(9, "L6OK", "Layer6 check passed", true),
    L6TOUT(10, "L6TOUT", "Layer6 timeout", false),
    L6RSP(11, "L6RSP", "Layer6 invalid response", false),
    L7TOUT(12, "L7TOUT", "Layer7 timeout", false),
    L7RSP(13, "L7RSP", "Layer7 invalid response", false),
    L7OK(15, "L7OK", "Layer7 check passed", true),
    L7STS(17, "L7STS", "Layer7 wrong status", false);

    private final int code;
    private final String shortName;
    private final String reason;
    private final boolean passed;

    CheckStatus(int code, String shortName, String reason, boolean passed) {
        this.code = code;
        this.shortName = shortName;
        this.reason = reason;
        this.passed = passed;
    }

    /** HAProxy's {@code HCHK_STATUS_*} number. */
    public int code() {
        return code;
    }

    public String shortName() {
        return shortName;
    }

    /** The sentence HAProxy's transition logs use. */
    public String reason() {
        return reason;
    }

    public boolean passed() {
        return passed;
    }
}
