package dev.sluice.balancer.dispatch;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code retry-on}: the failures after which a request is sent again, while {@code retries} allow.
 * HAProxy's default is {@code conn-failure}; {@code none} retries nothing, not even a failed connect.
 */
public record RetryOn(Set<RetryCause> causes) {

    public static final RetryOn DEFAULT = new RetryOn(EnumSet.of(RetryCause.CONN_FAILURE));
    public static final RetryOn NONE = new RetryOn(EnumSet.noneOf(RetryCause.class));

    /** What {@code all-retryable-errors} stands for in HAProxy 2.6. */
    private static final Set<RetryCause> ALL_RETRYABLE = EnumSet.of(RetryCause.CONN_FAILURE,
            RetryCause.EMPTY_RESPONSE, RetryCause.JUNK_RESPONSE, RetryCause.RESPONSE_TIMEOUT,
            RetryCause.ZERO_RTT_REJECTED, RetryCause.STATUS_500, RetryCause.STATUS_502, RetryCause.STATUS_503,
            RetryCause.STATUS_504);

    public RetryOn {
        causes = Collections.unmodifiableSet(causes.isEmpty() ? EnumSet.noneOf(RetryCause.class)
                : EnumSet.copyOf(causes));
    }

    /**
     * The setting of one {@code retry-on} line's words (after the keyword), with HAProxy's refusals.
     *
     * @throws IllegalArgumentException with the message to show at the line
     */
    public static RetryOn parse(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("'retry-on' needs at least one keyword to specify when to retry");
        }
        EnumSet<RetryCause> causes = EnumSet.noneOf(RetryCause.class);
        for (String word : words) {
            switch (word) {
                case "none" -> {
                    if (words.size() != 1) {
                        throw new IllegalArgumentException("'retry-on' 'none' keyword only usable alone");
                    }
                }
                case "all-retryable-errors" -> causes.addAll(ALL_RETRYABLE);
                default -> {
                    RetryCause cause = RetryCause.of(word);
                    if (cause == null) {
                        throw new IllegalArgumentException("'retry-on': unknown keyword '" + word + "'");
                    }
                    causes.add(cause);
                }
            }
        }
        return new RetryOn(causes);
    }

    public boolean on(RetryCause cause) {
        return causes.contains(cause);
    }

    /** Whether a final response with {@code status} is retried. */
    public boolean onStatus(int status) {
        RetryCause cause = RetryCause.ofStatus(status);
        return cause != null && causes.contains(cause);
    }

    /**
     * Whether a failure after the request was sent may be retried, which needs the request kept
     * for replay (HAProxy copies it into a buffer; sluice keeps references to the sent parts).
     */
    public boolean afterSending() {
        for (RetryCause cause : causes) {
            if (cause != RetryCause.CONN_FAILURE) {
                return true;
            }
        }
        return false;
    }
}
