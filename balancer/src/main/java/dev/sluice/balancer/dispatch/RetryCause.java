package dev.sluice.balancer.dispatch;

/** One keyword of {@code retry-on}: a failure of an attempt after which the request may go again. */
public enum RetryCause {
    /** The connection to the server could not be opened; the request was not sent. */
    CONN_FAILURE("conn-failure", 0),
    /** The server closed after (part of) the request was sent, without a byte of response. */
    EMPTY_RESPONSE("empty-response", 0),
    /** The server answered something that is not a complete HTTP response head. */
    JUNK_RESPONSE("junk-response", 0),
    /** {@code timeout server} struck before the response head. */
    RESPONSE_TIMEOUT("response-timeout", 0),
    /** Early data refused by the server; sluice never sends early data, so it never happens here. */
    ZERO_RTT_REJECTED("0rtt-rejected", 0),
    STATUS_401("401", 401),
    STATUS_403("403", 403),
    STATUS_404("404", 404),
    STATUS_408("408", 408),
    STATUS_425("425", 425),
    STATUS_500("500", 500),
    STATUS_501("501", 501),
    STATUS_502("502", 502),
    STATUS_503("503", 503),
    STATUS_504("504", 504);

    private final String keyword;
    private final int status;

    RetryCause(String keyword, int status) {
        this.keyword = keyword;
        this.status = status;
    }

    public String keyword() {
        return keyword;
    }

    /** The response status this cause retries on, 0 for a failure that is not a status. */
    public int status() {
        return status;
    }

    /** The cause named by {@code keyword}, or null. */
    static RetryCause of(String keyword) {
        for (RetryCause cause : values()) {
            if (cause.keyword.equals(keyword)) {
                return cause;
            }
        }
        return null;
    }

    /** The cause for a response status, or null when no keyword names it. */
    static RetryCause ofStatus(int status) {
        for (RetryCause cause : values()) {
            if (cause.status == status) {
                return cause;
            }
        }
        return null;
    }
}
