package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.SampleType;

/** Turns a sample expression's value into a table's key, as {@code track-scN KEY} needs. */
public final class TableKeys {

    private TableKeys() {
    }

    /**
     * The key {@code expression} yields for {@code table} on this request or connection, or null
     * when the sample is absent or does not fit the table's type (then nothing is tracked, as in
     * HAProxy).
     */
    public static Object of(StickTable table, SampleExpression expression, RequestView view) {
        SampleType type = expression.type();
        return switch (type) {
            case IP -> table.key(expression.evaluateIp(view));
            case INT, BOOL -> {
                long absent = Long.MIN_VALUE;
                long value = expression.evaluateLong(view, absent);
                yield value == absent ? null : table.key(value);
            }
            default -> table.key(expression.evaluateString(view));
        };
    }
}
