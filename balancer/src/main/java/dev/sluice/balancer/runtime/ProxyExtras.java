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
 * @param id             {@code id N}: the proxy's number in the stats ({@code iid}), 0 for the next free one
 * @param disabled       {@code disabled}: a frontend does not listen, a backend has no usable server
 * @param description    {@code description TEXT}, or null
 * @param backlog        {@code backlog N}: the listen backlog of binds that set none, 0 when not set
 * @param logTag         {@code log-tag}: the syslog tag of this proxy's logs, or null for the global one
 * @param headerNames    {@code option http-restrict-req-hdr-names}
 * @param sessionRate    {@code rate-limit sessions N}: new sessions per second on this frontend, 0 for no limit
 */
public record ProxyExtras(Map<Integer, Reply> errorReplies, boolean noLinger, String sendNameHeader, int id,
                          boolean disabled, String description, int backlog, String logTag,
                          HeaderNamePolicy headerNames, int sessionRate) {

    public static final ProxyExtras NONE = new ProxyExtras(Map.of(), false, null, 0, false, null, 0, null,
            HeaderNamePolicy.PRESERVE, 0);

    public ProxyExtras {
        errorReplies = Map.copyOf(Objects.requireNonNull(errorReplies, "errorReplies"));
        Objects.requireNonNull(headerNames, "headerNames");
        if (sessionRate < 0) {
            throw new IllegalArgumentException("sessionRate: " + sessionRate + " (expected: >= 0)");
        }
        if (id < 0) {
            throw new IllegalArgumentException("id: " + id + " (expected: >= 0)");
        }
        if (logTag != null && logTag.isEmpty()) {
            throw new IllegalArgumentException("logTag: empty (expected: a name or null)");
        }
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog: " + backlog + " (expected: >= 0)");
        }
        if (sendNameHeader != null && sendNameHeader.isEmpty()) {
            throw new IllegalArgumentException("sendNameHeader: empty (expected: a header name or null)");
        }
    }
}
