package dev.sluice.balancer.route;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;

/**
 * A client connection's {@code sess.*} variables, kept on its channel so that every view of the
 * connection (the tcp-request connection, session and content phases, each HTTP request, each
 * HTTP/2 stream of the parent connection) reads and writes the same ones. Used on the channel's
 * event loop only.
 */
final class SessionVariables {
    private static final AttributeKey<Map<String, Object>> KEY = AttributeKey.valueOf(SessionVariables.class,
            "sess");

    private SessionVariables() {
    }

    static Map<String, Object> of(Channel channel) {
        Attribute<Map<String, Object>> attribute = channel.attr(KEY);
        Map<String, Object> session = attribute.get();
        if (session == null) {
            session = new HashMap<>();
            attribute.set(session);
        }
        return session;
    }
}
