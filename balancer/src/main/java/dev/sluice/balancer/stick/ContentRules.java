package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.RequestView;
import io.netty.channel.Channel;
import java.util.List;

/**
 * {@code tcp-request content} rules over the bytes inspected so far, as HAProxy 2.6 runs them: in
 * written order; a rule whose condition is undetermined (a fetch lacks data that may still come)
 * stops the evaluation and waits for more data or the end of the delay, after which every rule
 * runs again from the first; the first {@code accept} or {@code reject} that applies ends it;
 * {@code track-scN} tracks once and goes on; when no rule decides, the connection is accepted.
 */
public final class ContentRules {

    /** What one evaluation decided. */
    public enum Decision {
        ACCEPT, REJECT, WAIT
    }

    private ContentRules() {
    }

    public static Decision run(List<TcpRule> rules, RequestView view, Channel channel, StickTables tables) {
        for (TcpRule rule : rules) {
            if (rule.condition() != null) {
                Condition.Outcome outcome = rule.condition().evaluateContent(view);
                if (outcome == Condition.Outcome.UNDETERMINED) {
                    return Decision.WAIT;
                }
                if (outcome == Condition.Outcome.SKIPPED) {
                    continue;
                }
            }
            switch (rule.action()) {
                case ACCEPT -> {
                    return Decision.ACCEPT;
                }
                case REJECT -> {
                    return Decision.REJECT;
                }
                case SILENT_DROP -> {
                    // The connection vanishes first, so the caller's close after a reject sends nothing.
                    dev.sluice.common.net.SilentDrop.drop(channel);
                    return Decision.REJECT;
                }
                case TRACK -> {
                    StickTable table = tables.get(rule.table());
                    Object key = table == null ? null : TableKeys.of(table, rule.key(), view);
                    if (key != null) {
                        // A slot tracked by an earlier evaluation stays as it is (trackContent refuses twice).
                        Tracking.counters(channel).trackContent(rule.slot(), table, key);
                    }
                }
                case INCREMENT_GPC0, INCREMENT_GPC1, SET_GPT0 -> TcpRules.updateCounter(rule, view, channel);
                case SET_VAR, UNSET_VAR -> TcpVarActions.apply(rule, view);
                case EXPECT_PROXY -> throw new IllegalStateException(rule.where() + ": expect-proxy in content rules");
            }
        }
        return Decision.ACCEPT;
    }
}
