package dev.sluice.balancer.http;

import dev.sluice.balancer.acl.Payload;
import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.log.Termination;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.TcpResponseRules;

/**
 * A backend's {@code tcp-response content} rules in HTTP mode, as HAProxy 2.6 runs them: once, on
 * the response head and before the {@code http-response} rules, with nothing to wait for. Its
 * buffer holds its internal HTTP message there, of which the payload fetches see nothing
 * ({@code res.len} is 0, {@code res.payload} finds nothing): variables are set and a rule without
 * a payload condition decides. A reject closes the client connection without an answer ("PD" in
 * the log, no status).
 */
final class ResponseContent {

    private ResponseContent() {
    }

    /** Runs the route's rules on a response head; whether they refused it. */
    static boolean rejects(Route route, ConnectionFacts facts, LogRecord accessLog) {
        TcpResponseRules rules = route.backend().plan().tcpRules().response();
        if (rules.isEmpty()) {
            return false;
        }
        Payload empty = new Payload();
        empty.update(io.netty.buffer.Unpooled.EMPTY_BUFFER, Integer.MAX_VALUE, true);
        facts.responsePayload(empty);
        TcpResponseRules.Decision decision;
        try {
            decision = rules.run(facts);
        } finally {
            facts.responsePayload(null);
        }
        if (decision != TcpResponseRules.Decision.REJECT) {
            return false;
        }
        route.backend().counters().deniedResponse();
        if (accessLog != null) {
            accessLog.terminated(Termination.PROXY, Termination.AT_DATA);
        }
        return true;
    }
}
