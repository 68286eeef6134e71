package dev.sluice.balancer.http;

import dev.sluice.common.proxy.ProxyHeader;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;

/**
 * {@code option originalto} for one client connection: the same rules as {@code option forwardfor}
 * ({@link ForwardedFor}: on if the frontend or the backend enables it, the backend's header name
 * wins, either side's {@code except} network suppresses it), applied to the address the client
 * connected to: the PROXY header's destination with {@code accept-proxy}, else the socket's local
 * address. The header line is appended after {@code X-Forwarded-For} and before the
 * {@code Connection} header a closing mode adds, as HAProxy orders them.
 */
final class OriginalTo {
    /** The header value for {@link #madeFor}; the destination is fixed for the connection. */
    private AsciiString value;
    private ForwardedFor madeFor;

    void apply(HttpHeaders headers, ForwardedFor settings, Channel channel) {
        if (settings != madeFor) {
            value = settings.valueFor(destination(channel));
            madeFor = settings;
        }
        if (value == null) {
            return;
        }
        settings.apply(headers, value);
        // HAProxy writes the Connection header a closing mode sets after every added header.
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            headers.remove(HttpHeaderNames.CONNECTION);
            headers.add(HttpHeaderNames.CONNECTION, connection);
        }
    }

    /** The address the client connected to, or null (a unix socket without a PROXY destination). */
    static InetSocketAddress destination(Channel channel) {
        ProxyHeader header = channel.attr(ProxyHeader.ATTRIBUTE).get();
        if (header != null && header.command() == ProxyHeader.Command.PROXY
                && header.destination() instanceof InetSocketAddress proxied) {
            return proxied;
        }
        return channel.localAddress() instanceof InetSocketAddress local ? local : null;
    }
}
