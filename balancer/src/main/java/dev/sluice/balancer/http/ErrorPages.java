package dev.sluice.balancer.http;

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
    private static final Map<Integer, String> REASONS = Map.of(200, "OK",
            400, "Bad Request", 408, "Request Timeout", 414, "URI Too Long",
            422, "Unprocessable Content", 431, "Request Header Fields Too Large", 500, "Internal Server Error",
            502, "Bad Gateway", 503, "Service Unavailable", 504, "Gateway Timeout");

    private static final Map<Integer, String> EXPLANATIONS = Map.of(
            200, "Service ready.", // the monitor-uri answer (MonitorUri)
            400, "The request could not be understood.",
            408, "The request took too long to arrive.",
            414, "The request line is too long.",
            422, "The request's transfer coding is not supported.",
            431, "The request headers are too large.",
            500, "The balancer failed to handle the request.",
            502, "The server returned an invalid or incomplete response.",
            503, "No server can take this request right now.",
            504, "The server did not answer in time.");

    public static final ErrorPages BUILT_IN = new ErrorPages(Map.of());

    private final Map<Integer, ByteBuf> pages = new HashMap<>();

    /** @param errorfiles status → raw response; missing statuses use the built-in pages */
    public ErrorPages(Map<Integer, byte[]> errorfiles) {
        for (int status : REASONS.keySet()) {
            byte[] raw = errorfiles.get(status);
            pages.put(status, shared(raw != null ? raw : builtIn(status)));
        }
        errorfiles.forEach((status, raw) -> pages.putIfAbsent(status, shared(raw)));
    }

    /** {@code preferred}'s page where it has an errorfile, else this one's. */
    public ErrorPages overriddenBy(Map<Integer, byte[]> preferred) {
        if (preferred.isEmpty()) {
            return this;
        }
        Map<Integer, byte[]> merged = new HashMap<>();
        pages.forEach((status, buf) -> {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            merged.put(status, bytes);
        });
        merged.putAll(preferred);
        return new ErrorPages(merged);
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
