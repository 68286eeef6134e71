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
 * The actions on stick counters: {@code track-scN KEY [table T]} ({@code http-request} only), and
 * {@code sc-inc-gpc0(N)}, {@code sc-inc-gpc1(N)} and {@code sc-set-gpt0(N) VALUE} (also in
 * {@code http-response}). They never end the rules ({@link Verdict#CONTINUE}).
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

    /**
     * {@code sc-inc-gpc0(N)} and {@code sc-inc-gpc1(N)}: adds one to the counter (and its rate) of
     * the entry slot N tracks, if any.
     */
    static Action increment(int slot, StickData counter) {
        return context -> {
            StickEntry entry = tracked(context.request(), slot);
            if (entry != null) {
                entry.increment(counter);
            }
            return Verdict.CONTINUE;
        };
    }

    /**
     * {@code sc-set-gpt0(N) VALUE}: sets the tag of the entry slot N tracks, if any, to an integer
     * or to what a sample expression gives; an expression that gives nothing leaves the tag.
     */
    static Action setTag(int slot, SampleExpression value) {
        return context -> {
            StickEntry entry = tracked(context.request(), slot);
            if (entry != null) {
                long tag = value.evaluateLong(context.request(), Long.MIN_VALUE);
                if (tag != Long.MIN_VALUE) {
                    entry.set(StickData.GPT0, tag);
                }
            }
            return Verdict.CONTINUE;
        };
    }

    private static StickEntry tracked(RequestView request, int slot) {
        TrackedCounters counters = request.trackedCounters();
        return counters == null ? null : counters.tracked(slot);
    }
}
