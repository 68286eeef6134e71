package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.TrackedCounters;
import dev.sluice.balancer.stick.Tracking;
import io.netty.channel.Channel;

/**
 * The {@code http-request} actions on stick counters: {@code track-scN KEY [table T]} and
 * {@code sc-inc-gpc0(N)}. They never end the rules ({@link Verdict#CONTINUE}).
 */
final class StickActions {

    private StickActions() {
    }

    /**
     * {@code track-scN}: tracks the key in slot {@code slot} for the current request. The request is
     * counted by {@link Tracking#trackRequest} itself: {@code Tracking.requestStarted} ran before the
     * rules, when the slot tracked nothing yet, so it is counted once. A slot already tracking
     * something keeps it (the first rule wins, as in HAProxy).
     *
     * @param table the table's name, checked against the configuration when compiled
     */
    static Action track(int slot, SampleExpression key, String table) {
        return context -> {
            RequestView view = context.request();
            Channel channel = view.channel();
            StickTable t = view.state().stickTables().get(table);
            if (channel != null && t != null) {
                Tracking.trackRequest(channel, slot, t, key, view);
            }
            return Verdict.CONTINUE;
        };
    }

    /** {@code sc-inc-gpc0(N)}: adds one to {@code gpc0} (and {@code gpc0_rate}) of the entry slot N tracks, if any. */
    static Action incrementGpc0(int slot) {
        return context -> {
            TrackedCounters counters = context.request().trackedCounters();
            StickEntry entry = counters == null ? null : counters.tracked(slot);
            if (entry != null) {
                entry.add(StickData.GPC0, 1);
                entry.add(StickData.GPC0_RATE, 1);
            }
            return Verdict.CONTINUE;
        };
    }
}
