package dev.sluice.balancer.http;

import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.IpNetwork;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@code option forwardfor} as HAProxy applies it when a request leaves for a server. It is on if
 * either the frontend or the backend enables it; a client inside either side's {@code except}
 * network gets no header; the backend's header name and {@code if-none} win when the backend
 * enables the option, otherwise the frontend's. The header is always one more line appended after
 * any the client sent (HAProxy never merges into an existing line); with {@code if-none} it is
 * added only when the request has no such header at all.
 */
public final class ForwardedFor {
    private final boolean enabled;
    private final IpNetwork exceptFront;
    private final IpNetwork exceptBack;
    private final AsciiString header;
    private final boolean ifNone;

    public ForwardedFor(ForwardFor frontend, ForwardFor backend) {
        enabled = frontend.enabled() || backend.enabled();
        exceptFront = frontend.enabled() ? frontend.except() : null;
        exceptBack = backend.enabled() ? backend.except() : null;
        ForwardFor winner = backend.enabled() ? backend : frontend;
        header = AsciiString.cached(winner.header());
        ifNone = winner.ifNone();
    }

    /** Adds the header for {@code client} (may be null: a unix-socket client without PROXY). */
    public void apply(HttpHeaders headers, InetSocketAddress client) {
        apply(headers, valueFor(client));
    }

    /**
     * The header value for {@code client}, or {@code null} when it gets none; a connection
     * computes it once and passes it to {@link #apply(HttpHeaders, AsciiString)} per request.
     */
    public AsciiString valueFor(InetSocketAddress client) {
        if (!enabled || client == null) {
            return null;
        }
        InetAddress address = client.getAddress();
        if (address == null || excepted(address)) {
            return null;
        }
        return new AsciiString(AddressText.of(address));
    }

    /** Adds {@code value} (from {@link #valueFor}) unless it is null or if-none finds a header. */
    public void apply(HttpHeaders headers, AsciiString value) {
        if (value == null || (ifNone && headers.contains(header))) {
            return;
        }
        headers.add(header, value);
    }

    private boolean excepted(InetAddress address) {
        return (exceptFront != null && exceptFront.contains(address))
                || (exceptBack != null && exceptBack.contains(address));
    }
}
