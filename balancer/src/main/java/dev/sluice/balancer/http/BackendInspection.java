package dev.sluice.balancer.http;

import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.TcpRule;
import dev.sluice.balancer.stick.TcpRules;
import io.netty.channel.Channel;
import java.util.List;

/**
 * A backend's {@code tcp-request content} rules in HTTP mode: as HAProxy 2.6 does (its backend
 * inspection step), they run per request once {@code use_backend} chose the backend, before the
 * backend's {@code http-request} rules. A {@code listen} section's rules ran as its frontend's
 * and do not run again; reached from another frontend, they run as backend rules (as in HAProxy). Variables they set are the connection's ({@code var()} reads them).
 */
final class BackendInspection {

    private BackendInspection() {
    }

    /** Runs the chosen backend's content rules on the request; whether one rejected it (or dropped it). */
    static boolean rejects(HttpFrontend front, Route route, ConnectionFacts request, Channel channel) {
        var plan = route.backend().plan();
        List<TcpRule> content = plan.tcpRules().content();
        // A listen section's own rules compile to equal lists (same lines): they ran as the frontend's.
        if (content.isEmpty() || content.equals(front.plan().tcpRules().content())) {
            return false;
        }
        TcpRules.Verdict verdict = TcpRules.run(content, request, channel, front.stickTables());
        if (verdict == TcpRules.Verdict.SILENT_DROP) {
            dev.sluice.common.net.SilentDrop.drop(channel); // tcp-request content silent-drop
            return true;
        }
        return verdict == TcpRules.Verdict.REJECT;
    }
}
