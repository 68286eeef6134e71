package dev.sluice.balancer.stick;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Finds a connection's {@link TrackedCounters}. They are made on the first track and ended when
 * the channel closes, so a connection that tracks nothing costs nothing. Call on the channel's
 * event loop.
 *
 * <p>Hooks of the HTTP exchange (one line each, in {@code http/HttpExchangeHandler}):
 * {@link #requestStarted}, {@link #responseStatus}, {@link #requestEnded}.
 */
public final class Tracking {

    private static final AttributeKey<TrackedCounters> KEY = AttributeKey.valueOf(Tracking.class, "tracked");

    private Tracking() {
    }

    /** The connection's counters, made (and tied to the channel's end) when absent. */
    public static TrackedCounters counters(Channel channel) {
        TrackedCounters counters = channel.attr(KEY).get();
        if (counters == null) {
            TrackedCounters made = new TrackedCounters();
            channel.attr(KEY).set(made);
            channel.closeFuture().addListener(f -> made.close());
            counters = made;
        }
        return counters;
    }

    /**
     * {@code http-request track-scN KEY [table T]} in one call, for the HTTP rules: evaluates the key
     * on the request, converts it to the table's type and tracks it for the current request (see
     * {@link TrackedCounters#trackRequest}, which also counts this request in the entry).
     *
     * @param table the table named by {@code table T}, else the rule's own proxy's (check that it exists when
     *              compiling the rule: {@code ProxyCatalog.hasTable})
     * @return whether the slot now tracks the key (false: slot already taken, no sample, table full)
     */
    public static boolean trackRequest(Channel channel, int slot, StickTable table,
                                       dev.sluice.balancer.acl.SampleExpression key,
                                       dev.sluice.balancer.acl.RequestView request) {
        Object k = TableKeys.of(table, key, request);
        return k != null && counters(channel).trackRequest(slot, table, k);
    }

    /** The connection's counters, or null when it tracks nothing. */
    public static TrackedCounters existing(Channel channel) {
        return channel.attr(KEY).get();
    }

    /**
     * A request arrived: after the {@code tcp-request content} rules, before the {@code http-request}
     * rules, as HAProxy counts it.
     */
    public static void requestStarted(Channel channel) {
        TrackedCounters counters = channel.attr(KEY).get();
        if (counters != null) {
            counters.httpRequest();
        }
    }

    /** The status sent for the current request, by a server or by the balancer itself. */
    public static void responseStatus(Channel channel, int status) {
        if (status >= 400 && status != 501 && status != 505) {
            TrackedCounters counters = channel.attr(KEY).get();
            if (counters != null) {
                if (status < 500) {
                    counters.httpError();
                } else {
                    counters.httpFailure();
                }
            }
        }
    }

    /** The current request and its response are over. */
    public static void requestEnded(Channel channel) {
        TrackedCounters counters = channel.attr(KEY).get();
        if (counters != null) {
            counters.requestEnded();
        }
    }
}
