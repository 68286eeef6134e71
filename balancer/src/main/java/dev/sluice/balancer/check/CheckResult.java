package dev.sluice.balancer.check;

import java.util.Objects;

/**
 * One finished health check.
 *
 * @param status         what happened
 * @param code           the HTTP status for layer 7 checks that got one, else 0
 * @param info           the detail HAProxy quotes in its logs (an error text, a status reason), may be empty
 * @param durationMillis from the start of the connect to the verdict
 */
public record CheckResult(CheckStatus status, int code, String info, long durationMillis) {
    /** HAProxy's HCHK_STATUS_L57DATA: statuses from here on carry a response code. */
    private static final int L57DATA = 14;

    public CheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(info, "info");
    }

    public boolean passed() {
        return status.passed();
    }

    /**
     * The middle of HAProxy's transition line: {@code reason: Layer4 connection problem, info: "Connection
     * refused", check duration: 1ms}.
     */
    public String describe() {
        StringBuilder out = new StringBuilder("reason: ").append(status.reason());
        // As HAProxy: every status from L57DATA on reports its code, even 0 (a tcp-check L7OK).
        if (code != 0 || status.code() >= L57DATA) {
            out.append(", code: ").append(code);
        }
        if (!info.isEmpty()) {
            out.append(", info: \"").append(info).append('"');
        }
        return out.append(", check duration: ").append(durationMillis).append("ms").toString();
    }
}
