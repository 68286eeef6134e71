package dev.sluice.balancer.stick;

import dev.sluice.balancer.acl.RequestView;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A frontend's {@code tcp-request} rules by phase, and how they run: in written order, the first
 * {@code accept}, {@code reject} or {@code silent-drop} whose condition holds ends the phase; {@code track-scN} tracks
 * and goes on; {@code expect-proxy layer4} asks for a PROXY header and goes on. A phase with no
 * deciding rule accepts, as in HAProxy. {@code sc-inc-gpc0/1} and {@code sc-set-gpt0} update the
 * entry a stick counter tracks and go on.
 *
 * @param inspectDelay {@code tcp-request inspect-delay}: how long content rules may wait for data.
 *                     HTTP content rules run on a complete request head (which {@code timeout
 *                     http-request} bounds), so the delay never has to be waited for there
 * @param response     a backend's {@code tcp-response content} rules and their inspect-delay
 */
public record TcpRules(List<TcpRule> connection, List<TcpRule> session, List<TcpRule> content,
                       Duration inspectDelay, TcpResponseRules response) {

    public static final TcpRules NONE = new TcpRules(List.of(), List.of(), List.of(), Duration.ZERO);

    /** Rules without {@code tcp-response} ones. */
    public TcpRules(List<TcpRule> connection, List<TcpRule> session, List<TcpRule> content, Duration inspectDelay) {
        this(connection, session, content, inspectDelay, TcpResponseRules.NONE);
    }

    /** What a phase decided. */
    public enum Verdict {
        ACCEPT, REJECT, ACCEPT_EXPECT_PROXY, SILENT_DROP
    }

    public TcpRules {
        connection = List.copyOf(connection);
        session = List.copyOf(session);
        content = List.copyOf(content);
        Objects.requireNonNull(inspectDelay, "inspectDelay");
        Objects.requireNonNull(response, "response");
        check(connection, TcpRule.Phase.CONNECTION);
        check(session, TcpRule.Phase.SESSION);
        check(content, TcpRule.Phase.CONTENT);
    }

    /** Splits rules written in any order into their phases, keeping the order within each. */
    public static TcpRules of(List<TcpRule> rules, Duration inspectDelay) {
        List<TcpRule> c = new ArrayList<>();
        List<TcpRule> s = new ArrayList<>();
        List<TcpRule> t = new ArrayList<>();
        for (TcpRule rule : rules) {
            switch (rule.phase()) {
                case CONNECTION -> c.add(rule);
                case SESSION -> s.add(rule);
                case CONTENT -> t.add(rule);
            }
        }
        return new TcpRules(c, s, t, inspectDelay);
    }

    private static void check(List<TcpRule> rules, TcpRule.Phase phase) {
        for (TcpRule rule : rules) {
            if (rule.phase() != phase) {
                throw new IllegalArgumentException(rule.where() + ": a " + rule.phase().keyword() + " rule among the "
                        + phase.keyword() + " rules");
            }
        }
    }

    /** The same request rules with {@code tcp-response} rules. */
    public TcpRules withResponse(TcpResponseRules rules) {
        return new TcpRules(connection, session, content, inspectDelay, rules);
    }

    /** Whether there are no {@code tcp-request} rules (a {@code tcp-response} rule does not count). */
    public boolean isEmpty() {
        return connection.isEmpty() && session.isEmpty() && content.isEmpty();
    }

    /**
     * Runs the rules of one phase for a connection. Tracks made by connection and session rules last
     * as long as the connection; those made by content rules, as long as the current request.
     *
     * @param view   what the conditions and keys read (addresses as known in this phase)
     * @param tables where {@code track-scN} finds its table
     */
    public static Verdict run(List<TcpRule> rules, RequestView view, Channel channel, StickTables tables) {
        boolean expectProxy = false;
        for (TcpRule rule : rules) {
            if (rule.condition() != null && !rule.condition().test(view)) {
                continue;
            }
            switch (rule.action()) {
                case ACCEPT -> {
                    return expectProxy ? Verdict.ACCEPT_EXPECT_PROXY : Verdict.ACCEPT;
                }
                case REJECT -> {
                    return Verdict.REJECT;
                }
                case SILENT_DROP -> {
                    return Verdict.SILENT_DROP;
                }
                case EXPECT_PROXY -> expectProxy = true;
                case TRACK -> {
                    StickTable table = tables.get(rule.table());
                    Object key = table == null ? null : TableKeys.of(table, rule.key(), view);
                    if (key != null) {
                        TrackedCounters counters = Tracking.counters(channel);
                        if (rule.phase() == TcpRule.Phase.CONTENT) {
                            counters.trackContent(rule.slot(), table, key);
                        } else {
                            counters.trackConnection(rule.slot(), table, key);
                        }
                    }
                }
                case INCREMENT_GPC0, INCREMENT_GPC1, SET_GPT0 -> updateCounter(rule, view, channel);
                case SET_VAR, UNSET_VAR -> TcpVarActions.apply(rule, view);
            }
        }
        return expectProxy ? Verdict.ACCEPT_EXPECT_PROXY : Verdict.ACCEPT;
    }

    /**
     * {@code sc-inc-gpc0(N)}, {@code sc-inc-gpc1(N)} and {@code sc-set-gpt0(N) VALUE} on the entry
     * stick counter N tracks; nothing when it tracks none.
     */
    static void updateCounter(TcpRule rule, RequestView view, Channel channel) {
        TrackedCounters counters = Tracking.existing(channel);
        StickEntry entry = counters == null ? null : counters.tracked(rule.slot());
        if (entry == null) {
            return;
        }
        switch (rule.action()) {
            case INCREMENT_GPC0 -> entry.increment(StickData.GPC0);
            case INCREMENT_GPC1 -> entry.increment(StickData.GPC1);
            case SET_GPT0 -> {
                long tag = rule.key().evaluateLong(view, Long.MIN_VALUE);
                if (tag != Long.MIN_VALUE) {
                    entry.set(StickData.GPT0, tag);
                }
            }
            default -> throw new IllegalStateException(rule.where() + ": " + rule.action() + " is not a counter update");
        }
    }
}
