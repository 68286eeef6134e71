package dev.sluice.balancer.tcp;

import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.TcpRule;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * A {@code mode tcp} backend's {@code tcp-request content} rules: as HAProxy 2.6 runs them (its
 * backend inspection step), once {@code use_backend} chose the backend and before a server is
 * picked, on the same held bytes, waiting up to the backend's own {@code tcp-request inspect-delay}.
 * A {@code listen} section's rules ran as its frontend's and do not run again.
 */
final class BackendContent {
    static final String NAME = "tcp-backend-content-inspection";

    private BackendContent() {
    }

    /**
     * Installs the chosen backend's inspection before the relay handler {@code relay}; false when the
     * backend has no content rules of its own (go on at once).
     *
     * @param proceed picks a server and connects, once the rules accepted
     */
    static boolean inspect(TcpFrontend front, TcpFrontend.Target target, ConnectionFacts facts,
                           ChannelHandlerContext relay, Runnable proceed, LogRecord record) {
        var plan = target.backend().plan();
        List<TcpRule> content = plan.tcpRules().content();
        // A listen section's own rules compile to equal lists (same lines): they ran as the frontend's.
        if (content.isEmpty() || content.equals(front.plan().tcpRules().content())) {
            return false;
        }
        relay.pipeline().addBefore(relay.name(), NAME, new ContentInspection(content, plan.tcpRules().inspectDelay(),
                front.bufsize(), front.stickTables(), facts, ctx -> proceed.run(), () -> front.rejected(record),
                true));
        return true;
    }
}
