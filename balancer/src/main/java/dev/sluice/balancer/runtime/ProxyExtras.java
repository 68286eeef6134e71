package dev.sluice.balancer.runtime;

import dev.sluice.balancer.rules.Reply;
import java.util.Map;
import java.util.Objects;

/**
 * A proxy's error replies made per request and its small per-proxy switches, grouped so that the
 * model ({@code config.model.Proxy}) and both plans carry them as one value.
 *
 * @param errorReplies   status → an {@code http-error} reply rendered per request (log-format
 *                       body or headers); the statuses it holds are absent from the plan's
 *                       static {@code errorfiles}, as each status has one winner per proxy
 * @param noLinger       {@code option nolinger}: connections of this side close with a reset
 *                       (SO_LINGER 0): a frontend's client connections, a backend's server ones
 * @param sendNameHeader {@code http-send-name-header}: the header that carries the chosen
 *                       server's name to it, or null when not set
 */
public record ProxyExtras(Map<Integer, Reply> errorReplies, boolean noLinger, String sendNameHeader) {

    public static final ProxyExtras NONE = new ProxyExtras(Map.of(), false, null);

    public ProxyExtras {
        errorReplies = Map.copyOf(Objects.requireNonNull(errorReplies, "errorReplies"));
        if (sendNameHeader != null && sendNameHeader.isEmpty()) {
            throw new IllegalArgumentException("sendNameHeader: empty (expected: a header name or null)");
        }
    }
}
