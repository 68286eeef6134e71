package dev.sluice.balancer.route;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.front.ClientAddress;
import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.SslInfo;
import dev.sluice.common.proxy.Tlv;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;

/**
 * The ACL engine's view of one client connection and its current HTTP request (none in tcp mode),
 * owned by that connection's handler and used on its event loop. Connection facts (addresses,
 * PROXY TLVs) are read once on first use; the request's method, target and header strings are
 * Netty's own objects, not copies. Header lines are indexed on the first header fetch of each
 * request into arrays this object keeps and reuses.
 */
public final class ConnectionFacts implements RequestView {
    private static final AsciiString V10 = AsciiString.cached("1.0");
    private static final AsciiString V11 = AsciiString.cached("1.1");
    /** Header lines a request usually has; the index grows past it when needed. */
    private static final int INITIAL_HEADER_SLOTS = 16;

    private final Channel channel;
    private final StateView state;

    private boolean addressesKnown;
    private IpAddress source;
    private int sourcePort = -1;
    private IpAddress destination;
    private int destinationPort = -1;
    private ProxyHeader proxyHeader;
    private CharSequence[] tlvs;
    private SslInfo ssl;

    private HttpRequest request;
    private io.netty.handler.codec.http.HttpResponse response;
    private dev.sluice.balancer.acl.Variables variables;
    /** The view whose variables this one reads and writes (the access log's view), or null for its own. */
    private ConnectionFacts variablesOwner;
    /** The bytes held by tcp content inspection, while it decides (see dev.sluice.balancer.tcp.ContentInspection). */
    private dev.sluice.balancer.acl.Payload payload;
    /** The server's bytes held by tcp-response inspection, while it decides (see dev.sluice.balancer.tcp.ResponseInspection). */
    private dev.sluice.balancer.acl.Payload responsePayload;
    private int headerCount = -1;
    private CharSequence[] names;
    private CharSequence[] values;

    public ConnectionFacts(Channel channel, StateView state) {
        this.channel = channel;
        this.state = state;
    }

    /** The response {@code http-response} rules read ({@code status}, {@code res.hdr}); {@code null} otherwise. */
    public void response(io.netty.handler.codec.http.HttpResponse current) {
        response = current;
    }

    @Override
    public int responseStatus() {
        return response == null ? -1 : response.status().code();
    }

    @Override
    public CharSequence responseHeader(String name) {
        if (response == null) {
            return null;
        }
        CharSequence last = null;
        for (java.util.Iterator<? extends CharSequence> it = response.headers().valueCharSequenceIterator(name);
                it.hasNext(); ) {
            last = it.next();
        }
        return last;
    }

    /** The request the next evaluation reads; {@code null} between requests. */
    public void request(HttpRequest current) {
        request = current;
        headerCount = -1;
    }

    private void knowAddresses() {
        if (addressesKnown) {
            return;
        }
        addressesKnown = true;
        proxyHeader = channel.attr(ProxyHeader.ATTRIBUTE).get();
        InetSocketAddress client = ClientAddress.of(channel);
        if (client != null) {
            source = IpAddress.of(client.getAddress());
            sourcePort = client.getPort();
        }
        InetSocketAddress local = proxyHeader != null && proxyHeader.command() == ProxyHeader.Command.PROXY
                && proxyHeader.destination() instanceof InetSocketAddress d ? d
                : channel.localAddress() instanceof InetSocketAddress l ? l : null;
        if (local != null) {
            destination = IpAddress.of(local.getAddress());
            destinationPort = local.getPort();
        }
        if (proxyHeader != null) {
            ssl = proxyHeader.ssl().orElse(null);
        }
    }

    @Override
    public CharSequence method() {
        return request == null ? null : request.method().asciiName();
    }

    @Override
    public CharSequence uri() {
        return request == null ? null : request.uri();
    }

    @Override
    public CharSequence version() {
        if (request == null) {
            return null;
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() == 1) {
            return version.minorVersion() == 0 ? V10 : V11;
        }
        return version.majorVersion() + "." + version.minorVersion();
    }

    @Override
    public int headerCount() {
        if (request == null) {
            return 0;
        }
        if (headerCount < 0) {
            indexHeaders();
        }
        return headerCount;
    }

    private void indexHeaders() {
        int size = request.headers().size();
        if (names == null || names.length < size) {
            int slots = Math.max(INITIAL_HEADER_SLOTS, Integer.highestOneBit(Math.max(size, 1)) << 1);
            names = new CharSequence[slots];
            values = new CharSequence[slots];
        }
        int i = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> lines = request.headers().iteratorCharSequence();
        while (lines.hasNext() && i < names.length) {
            Map.Entry<CharSequence, CharSequence> line = lines.next();
            names[i] = line.getKey();
            values[i] = line.getValue();
            i++;
        }
        headerCount = i;
    }

    @Override
    public CharSequence headerName(int index) {
        return names[index];
    }

    @Override
    public CharSequence headerValue(int index) {
        return values[index];
    }

    @Override
    public IpAddress source() {
        knowAddresses();
        return source;
    }

    @Override
    public int sourcePort() {
        knowAddresses();
        return sourcePort;
    }

    @Override
    public IpAddress destination() {
        knowAddresses();
        return destination;
    }

    @Override
    public int destinationPort() {
        knowAddresses();
        return destinationPort;
    }

    @Override
    public CharSequence proxyTlv(int type) {
        knowAddresses();
        if (proxyHeader == null || type < 0 || type > 255) {
            return null;
        }
        if (tlvs == null) {
            // Once per connection: the TLVs never change after the header.
            tlvs = new CharSequence[256];
            for (Tlv tlv : proxyHeader.tlvs()) {
                if (tlvs[tlv.type()] == null) {
                    tlvs[tlv.type()] = new AsciiString(tlv.value(), false);
                }
            }
        }
        return tlvs[type];
    }

    @Override
    public boolean proxySsl() {
        knowAddresses();
        return ssl != null && (ssl.client() & SslInfo.CLIENT_SSL) != 0;
    }

    @Override
    public CharSequence proxySslVersion() {
        knowAddresses();
        return ssl == null ? null : ssl.version();
    }

    @Override
    public CharSequence proxySslCipher() {
        knowAddresses();
        return ssl == null ? null : ssl.cipher();
    }

    /**
     * Makes this view read and write the variables of {@code owner} (all scopes): the access log's
     * view prints the {@code txn.*} variables the connection's rules set.
     */
    public void shareVariables(ConnectionFacts owner) {
        variablesOwner = owner == this ? null : owner;
    }

    /**
     * The request goes to a server, or its log line is written: its {@code req.*} variables end
     * (nothing is made when none were ever set).
     */
    public void endRequestScope() {
        if (variablesOwner != null) {
            variablesOwner.endRequestScope();
        } else if (variables != null) {
            variables.endRequestScope();
        }
    }

    @Override
    public dev.sluice.balancer.acl.Variables variables() {
        if (variablesOwner != null) {
            return variablesOwner.variables();
        }
        if (variables == null) {
            // sess.* variables belong to the connection, whichever view (tcp-request phase, request) sets them.
            variables = channel == null ? new dev.sluice.balancer.acl.Variables()
                    : new dev.sluice.balancer.acl.Variables(SessionVariables.of(channel));
        }
        return variables;
    }

    @Override
    public StateView state() {
        return state;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public dev.sluice.balancer.stick.TrackedCounters trackedCounters() {
        return dev.sluice.balancer.stick.Tracking.existing(channel);
    }

    /** What the res.* payload fetches read: the server's inspected first bytes, or null outside inspection. */
    public void responsePayload(dev.sluice.balancer.acl.Payload current) {
        responsePayload = current;
    }

    @Override
    public dev.sluice.balancer.acl.Payload responsePayload() {
        return responsePayload;
    }

    /** What the payload fetches read: the inspected first bytes, or null outside inspection. */
    public void payload(dev.sluice.balancer.acl.Payload current) {
        payload = current;
    }

    @Override
    public dev.sluice.balancer.acl.Payload payload() {
        return payload;
    }
}
