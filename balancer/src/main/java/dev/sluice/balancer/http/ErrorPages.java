package dev.sluice.balancer.http;

import dev.sluice.balancer.rules.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The complete raw responses sent for refusals: built-in pages, replaced per status by
 * {@code errorfile} contents (HAProxy's format: the file is the whole HTTP response, status line
 * and headers included, sent as is). Buffers are made once and shared; each send is a duplicate.
 */
public final class ErrorPages {
    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"),
            Map.entry(400, "Bad Request"), Map.entry(403, "Forbidden"), Map.entry(408, "Request Timeout"),
            Map.entry(414, "URI Too Long"), Map.entry(422, "Unprocessable Content"),
            Map.entry(431, "Request Header Fields Too Large"), Map.entry(500, "Internal Server Error"),
            Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

    /** HAProxy 2.6's own sentences where it has the status (so default-errorfiles pages match its). */
    private static final Map<Integer, String> EXPLANATIONS = Map.ofEntries(
            Map.entry(200, "Service ready."), // the monitor-uri answer (MonitorUri)
            Map.entry(400, "Your browser sent an invalid request."),
            Map.entry(403, "Request forbidden by administrative rules."),
            Map.entry(408, "Your browser didn't send a complete request in time."),
            Map.entry(414, "The request line is too long."),
            Map.entry(422, "The request's transfer coding is not supported."),
            Map.entry(431, "The request headers are too large."),
            Map.entry(500, "An internal server error occurred."),
            Map.entry(502, "The server returned an invalid or incomplete response."),
            Map.entry(503, "No server is available to handle this request."),
            Map.entry(504, "The server didn't respond in time."));

    public static final ErrorPages BUILT_IN = new ErrorPages(Map.of());

    private final Map<Integer, ByteBuf> pages = new HashMap<>();
    /** {@code http-error} replies made per request; a status here has no errorfile of the same proxy. */
    private final Map<Integer, Reply> replies;

    /** @param errorfiles status → raw response; missing statuses use the built-in pages */
    public ErrorPages(Map<Integer, byte[]> errorfiles) {
        this(errorfiles, Map.of());
    }

    /**
     * @param errorfiles status → raw response; missing statuses use the built-in pages
     * @param replies    status → {@code http-error} reply, which wins over {@code errorfiles}' page
     */
    public ErrorPages(Map<Integer, byte[]> errorfiles, Map<Integer, Reply> replies) {
        this.replies = Map.copyOf(replies);
        for (int status : REASONS.keySet()) {
            byte[] raw = errorfiles.get(status);
            pages.put(status, shared(raw != null ? raw : builtIn(status)));
        }
        errorfiles.forEach((status, raw) -> pages.putIfAbsent(status, shared(raw)));
    }

    /** {@code preferred}'s page where it has an errorfile, else this one's. */
    public ErrorPages overriddenBy(Map<Integer, byte[]> preferred) {
        return overriddenBy(preferred, Map.of());
    }

    /**
     * The pages of a frontend and backend pair: the backend's errorfile or http-error reply for a
     * status wins over the frontend's (HAProxy 2.6 looks at the backend first).
     */
    public ErrorPages overriddenBy(Map<Integer, byte[]> preferred, Map<Integer, Reply> preferredReplies) {
        if (preferred.isEmpty() && preferredReplies.isEmpty()) {
            return this;
        }
        Map<Integer, byte[]> merged = new HashMap<>();
        pages.forEach((status, buf) -> {
            if (!preferredReplies.containsKey(status)) {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                merged.put(status, bytes);
            }
        });
        merged.putAll(preferred);
        Map<Integer, Reply> mergedReplies = new HashMap<>(replies);
        preferred.keySet().forEach(mergedReplies::remove);
        mergedReplies.putAll(preferredReplies);
        return new ErrorPages(merged, mergedReplies);
    }

    /** The {@code http-error} reply made per request for {@code status}, or null (then {@link #page}). */
    public Reply reply(int status) {
        return replies.get(status);
    }

    /** A new reference to the page for {@code status}; the caller writes (and so releases) it. */
    public ByteBuf page(int status) {
        ByteBuf page = pages.get(status);
        if (page == null) {
            page = pages.get(500);
        }
        return page.duplicate();
    }

    private static ByteBuf shared(byte[] raw) {
        // Heap-wrapped: built once per frontend, never released, so outside the leak tracker.
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(raw.clone()).asReadOnly());
    }

    static byte[] builtIn(int status) {
        String body = "<html><body><h1>" + status + " " + REASONS.get(status) + "</h1>\n"
                + EXPLANATIONS.get(status) + "\n</body></html>\n";
        String head = "HTTP/1.1 " + status + " " + REASONS.get(status) + "\r\n"
                + "content-length: " + body.length() + "\r\n"
                + "cache-control: no-cache\r\n"
                + "content-type: text/html\r\n"
                + "connection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.ISO_8859_1);
    }
}
