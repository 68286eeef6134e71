package dev.sluice.balancer.stick;

import java.util.Locale;

/**
 * What a stick table may {@code store} for each key, with HAProxy's names. Counters are plain
 * numbers; rates take a period argument ({@code http_req_rate(10s)}) and are read as events per
 * period with {@link FreqCounter}'s arithmetic.
 */
public enum StickData {
    SERVER_ID(false),
    GPC0(false),
    GPC0_RATE(true),
    CONN_CNT(false),
    CONN_CUR(false),
    CONN_RATE(true),
    SESS_CNT(false),
    SESS_RATE(true),
    HTTP_REQ_CNT(false),
    HTTP_REQ_RATE(true),
    HTTP_ERR_CNT(false),
    HTTP_ERR_RATE(true),
    BYTES_IN_CNT(false),
    BYTES_IN_RATE(true),
    BYTES_OUT_CNT(false),
    BYTES_OUT_RATE(true),
    GPT0(false),
    GPC1(false),
    GPC1_RATE(true),
    HTTP_FAIL_CNT(false),
    HTTP_FAIL_RATE(true);

    private final boolean rate;
    private final String keyword;

    StickData(boolean rate) {
        this.rate = rate;
        this.keyword = name().toLowerCase(Locale.ROOT);
    }

    /** Whether this is a rate, which needs a period. */
    public boolean rate() {
        return rate;
    }

    /** The name in configurations and fetches, e.g. {@code http_req_rate}. */
    public String keyword() {
        return keyword;
    }

    /** The rate an increment of this general purpose counter also counts in ({@code gpc0_rate}), or null. */
    public StickData incrementRate() {
        return switch (this) {
            case GPC0 -> GPC0_RATE;
            case GPC1 -> GPC1_RATE;
            default -> null;
        };
    }

    /** The data type called {@code keyword}, or null. */
    public static StickData byKeyword(String keyword) {
        for (StickData d : values()) {
            if (d.keyword.equals(keyword)) {
                return d;
            }
        }
        return null;
    }
}
