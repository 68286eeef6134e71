package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.dispatch.DispatchPlan;
import dev.sluice.balancer.dispatch.Redispatch;
import dev.sluice.balancer.dispatch.RetryCause;
import dev.sluice.balancer.dispatch.ServerRules;
import dev.sluice.balancer.lb.Candidate;
import dev.sluice.balancer.persist.StickyState;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.runtime.BackendPlan;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.Map;

/**
 * One request's attempts at its backend (one per client connection, reset per request): which
 * server the rules assign ({@code use-server}, {@code force-persist}, {@code ignore-persist},
 * {@code option persist}, the persistence cookie), the {@code retries} left, whether a retry
 * leaves the server ({@code option redispatch [N]}), and the request parts kept for a replay.
 *
 * <p>A retry after the request was sent ({@code retry-on} other than {@code conn-failure}) sends
 * it again, so the parts sent are kept: a retained duplicate of each (no copy), while the whole
 * request stays within {@code tune.bufsize} less HAProxy's rewrite reserve, as HAProxy retries
 * only a request that fits its buffer. They go at the first byte of a response, or when the
 * request outgrows the limit.
 */
final class Attempts {
    /** HAProxy's tune.maxrewrite default: the part of a buffer kept for header rewrites. */
    static final int REWRITE_RESERVE = 1024;
    /** Bytes a header line adds to its name and value: ": " and CRLF. */
    private static final int HEADER_LINE_EXTRA = 4;
    /** Bytes of the request line besides the method and the target: two spaces, "HTTP/1.1", CRLF. */
    private static final int REQUEST_LINE_EXTRA = 12;

    private final ArrayList<HttpContent> kept = new ArrayList<>(4);
    private BackendPlan plan;
    private DispatchPlan dispatch;
    private int retriesLeft;
    private int retried;
    private int keptBytes;
    private int limit;
    private boolean keeping;
    private boolean complete;
    /** force-persist matched: the server is never left by a redispatch. */
    private boolean forced;
    /** option persist or force-persist: a down server named by a rule or a cookie is used. */
    private boolean acceptDown;
    /** ignore-persist matched: the persistence cookie is neither read nor set. */
    private boolean ignorePersistence;
    /** The server was chosen by the balance algorithm, not a rule, a cookie or a stick table. */
    private boolean balanced;

    /**
     * Starts a request sent to {@code backend}: evaluates its persistence and {@code use-server}
     * rules and its cookie; returns the server they assign, or null to balance.
     *
     * @param bufsize {@code tune.bufsize}: the request must fit in it (less the rewrite reserve) to be replayed
     */
    Server begin(Backend backend, HttpRequest request, ConnectionFacts facts, StickyState sticky, int bufsize) {
        releaseKept();
        plan = backend.plan();
        dispatch = plan.dispatch();
        retriesLeft = plan.retries();
        retried = 0;
        complete = false;
        limit = bufsize - REWRITE_RESERVE;
        keeping = dispatch.retryOn().afterSending();
        keptBytes = keeping ? headBytes(request) : 0;
        ServerRules.Persistence persistence = ServerRules.Persistence.NORMAL;
        Server assigned = null;
        if (!dispatch.persistRules().isEmpty() || !dispatch.useServers().isEmpty()) {
            facts.request(request); // the rules' conditions read the request
            try {
                persistence = ServerRules.persistence(dispatch, facts);
                forced = persistence == ServerRules.Persistence.FORCE;
                acceptDown = forced || dispatch.persist();
                assigned = ServerRules.useServer(dispatch, backend, facts, acceptDown);
            } finally {
                facts.request(null);
            }
        } else {
            forced = false;
            acceptDown = dispatch.persist();
        }
        ignorePersistence = persistence == ServerRules.Persistence.IGNORE;
        if (backend.cookies() != null) {
            // Read even when a rule assigned the server or ignore-persist matched: as HAProxy, an
            // indirect or prefix cookie is still stripped, but only a cookie of a normal request assigns.
            Server cookie = backend.cookies().onRequest(request, sticky, acceptDown);
            if (assigned != null) {
                sticky.assigned(assigned);
            } else if (!ignorePersistence) {
                assigned = cookie;
            }
        }
        balanced = assigned == null && plan.stick().isEmpty();
        return assigned;
    }

    /** Whether the response side of cookie persistence runs (not after an ignore-persist). */
    boolean cookiesApply() {
        return !ignorePersistence;
    }

    /** A slot on the server a rule or cookie assigned; a down one only when it may be used down. */
    Server takeAssigned(Backend backend, Server assigned) {
        if (acceptDown && !assigned.acceptsPersistent()) {
            return assigned.tryTake() ? assigned : null;
        }
        return backend.takeDirect(assigned);
    }

    // ---- the parts kept for a replay -------------------------------------------------------------

    /** A request part about to be written to the server: kept (a retained duplicate) while a replay may come. */
    void sending(HttpContent part) {
        if (!keeping) {
            return;
        }
        keptBytes += part.content().readableBytes();
        if (keptBytes > limit) {
            // Larger than HAProxy's buffer: never replayed.
            keeping = false;
            releaseKept();
            return;
        }
        kept.add(part.retainedDuplicate());
        complete |= part instanceof LastHttpContent;
    }

    /** Writes the kept body parts again after the head, on a new server connection; false when none are kept. */
    boolean replay(Channel server) {
        if (kept.isEmpty()) {
            return false;
        }
        for (HttpContent part : kept) {
            server.write(part.retainedDuplicate(), server.voidPromise());
        }
        return true;
    }

    /** Part of a response arrived: the request cannot be replayed any more; its kept parts go. */
    void responseStarted() {
        keeping = false;
        releaseKept();
    }

    /** The exchange is over (or the connection closed): drops what is kept. */
    void end() {
        keeping = false;
        releaseKept();
    }

    private void releaseKept() {
        for (HttpContent part : kept) {
            part.release();
        }
        kept.clear();
    }

    /** The request line and headers as written, which share HAProxy's buffer with the body. */
    private static int headBytes(HttpRequest request) {
        int bytes = request.method().name().length() + request.uri().length() + REQUEST_LINE_EXTRA;
        var headers = request.headers().iteratorCharSequence();
        while (headers.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = headers.next();
            bytes += header.getKey().length() + header.getValue().length() + HEADER_LINE_EXTRA;
        }
        return bytes;
    }

    // ---- retries ---------------------------------------------------------------------------------

    /** Whether a failed connect is tried again ({@code retry-on conn-failure}, retries left). */
    boolean retriesConnect() {
        return retriesLeft > 0 && dispatch.retryOn().on(RetryCause.CONN_FAILURE);
    }

    /**
     * Whether a failure of {@code cause} after the request was sent is retried: {@code retry-on}
     * names it, retries are left, no {@code http-request disable-l7-retry} ran, and the whole
     * request is kept.
     */
    boolean retriesAfterSending(RetryCause cause, boolean disabledByRule) {
        return retriesLeft > 0 && dispatch.retryOn().on(cause) && !disabledByRule && keeping && complete;
    }

    /** Whether a final response with {@code status} is retried (see {@link #retriesAfterSending}). */
    boolean retriesStatus(int status, boolean disabledByRule) {
        return retriesLeft > 0 && dispatch.retryOn().onStatus(status) && !disabledByRule && keeping && complete;
    }

    /** Takes one retry from {@code failed}; true when it goes to another server ({@code option redispatch}). */
    boolean retry(Backend backend, Server failed) {
        retriesLeft--;
        retried++;
        boolean moving = Redispatch.now(plan.redispatch(), dispatch.redispatchAfter(), plan.retries(), retried, forced,
                failed.acceptsPersistent(), balanced, activeServers(backend), hashBased());
        if (moving) {
            balanced = true; // the next server is balanced
        }
        return moving;
    }

    private boolean hashBased() {
        var algorithm = plan.balance().algorithm();
        return !(algorithm instanceof dev.sluice.balancer.lb.Balance.RoundRobin
                || algorithm instanceof dev.sluice.balancer.lb.Balance.StaticRoundRobin
                || algorithm instanceof dev.sluice.balancer.lb.Balance.LeastConn
                || algorithm instanceof dev.sluice.balancer.lb.Balance.First);
    }

    private static int activeServers(Backend backend) {
        int active = 0;
        for (Candidate candidate : backend.serverSet().servers()) {
            if (candidate.usable() && !candidate.backup()) {
                active++;
            }
        }
        return active;
    }
}
