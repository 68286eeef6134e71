package dev.sluice.balancer.acl;

import java.util.Locale;

/** HAProxy's pattern matching methods ({@code -m NAME}). */
enum MatchMethod {
    FOUND,
    BOOL,
    INT,
    IP,
    BIN,
    LEN,
    STR,
    SUB,
    REG,
    BEG,
    END,
    DIR,
    DOM;

    String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MatchMethod byKeyword(String keyword) {
        for (MatchMethod m : values()) {
            if (m.keyword().equals(keyword)) {
                return m;
            }
        }
        return null;
    }

    /** The default method for a sample type, or null when "-m" is required. */
    static MatchMethod defaultFor(SampleType type) {
        return switch (type) {
            case BOOL -> BOOL;
            case INT -> INT;
            case IP -> IP;
            case STR -> STR;
        };
    }
}
