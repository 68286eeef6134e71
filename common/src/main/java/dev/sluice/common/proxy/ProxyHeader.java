package dev.sluice.common.proxy;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.AttributeKey;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One PROXY protocol header (v1 or v2), immutable and validated at construction: the command, the
 * address family and transport, the source and destination (the client and the address it
 * connected to), and the v2 TLVs.
 *
 * <p>Addresses are {@link InetSocketAddress} for {@link Family#INET}/{@link Family#INET6},
 * {@link DomainSocketAddress} for {@link Family#UNIX} (the path's bytes as ISO-8859-1 characters,
 * trailing NUL padding removed), and {@code null} for {@link Command#LOCAL} and
 * {@link Family#UNSPEC}, where the receiver uses the connection's real endpoints (spec 2.2).
 *
 * <p>The decoder stores the header it accepted under {@link #ATTRIBUTE} and fires it as a user event.
 */
public final class ProxyHeader {
    /** Where {@link ProxyHeaderDecoder} leaves the accepted header on the channel. */
    public static final AttributeKey<ProxyHeader> ATTRIBUTE = AttributeKey.valueOf(ProxyHeader.class, "proxyHeader");

    private static final int UNIX_PATH_BYTES = 108;
    private static final ProxyHeader LOCAL = new ProxyHeader(Command.LOCAL, Family.UNSPEC, Transport.UNSPEC, null, null, List.of());
    private static final ProxyHeader UNKNOWN = new ProxyHeader(Command.PROXY, Family.UNSPEC, Transport.UNSPEC, null, null, List.of());

    /** LOCAL: the connection was made by the proxy itself (e.g. a health check); PROXY: relayed. */
    public enum Command { LOCAL, PROXY }

    /** The address family of the relayed connection. */
    public enum Family { UNSPEC, INET, INET6, UNIX }

    /** The transport of the relayed connection. */
    public enum Transport { UNSPEC, STREAM, DGRAM }

    private final Command command;
    private final Family family;
    private final Transport transport;
    private final SocketAddress source;
    private final SocketAddress destination;
    private final List<Tlv> tlvs;
    private final SslInfo ssl;

    /**
     * The general constructor; prefer the factories. Throws {@link IllegalArgumentException} when
     * the parts do not belong together (e.g. INET with IPv6 addresses, LOCAL with addresses) and
     * {@link ProxyRefusedException} ({@link ProxyRefusal#BAD_TLV}) for a malformed SSL TLV.
     */
    public ProxyHeader(Command command, Family family, Transport transport,
                       SocketAddress source, SocketAddress destination, List<Tlv> tlvs) {
        this.command = Objects.requireNonNull(command, "command");
        this.family = Objects.requireNonNull(family, "family");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.tlvs = List.copyOf(tlvs);
        boolean addressless = command == Command.LOCAL || family == Family.UNSPEC;
        if (addressless) {
            if (source != null || destination != null) {
                throw new IllegalArgumentException("addresses: " + source + ", " + destination
                        + " (expected: none for " + command + "/" + family + ")");
            }
            if (family != Family.UNSPEC || transport != Transport.UNSPEC) {
                throw new IllegalArgumentException("family/transport: " + family + "/" + transport
                        + " (expected: UNSPEC/UNSPEC for " + command + " without addresses)");
            }
        } else {
            if (transport == Transport.UNSPEC) {
                throw new IllegalArgumentException("transport: UNSPEC (expected: STREAM or DGRAM for " + family + ")");
            }
            checkAddress("source", family, source);
            checkAddress("destination", family, destination);
        }
        this.source = source;
        this.destination = destination;
        SslInfo parsed = null;
        for (Tlv tlv : this.tlvs) {
            if (tlv.type() == Tlv.SSL && parsed == null) {
                parsed = SslInfo.parse(tlv.valueUnsafe());
            }
        }
        this.ssl = parsed;
    }

    private static void checkAddress(String name, Family family, SocketAddress address) {
        boolean fits = switch (family) {
            case INET -> address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address;
            case INET6 -> address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet6Address;
            case UNIX -> address instanceof DomainSocketAddress unix && fitsUnixPath(unix.path());
            case UNSPEC -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException(name + ": " + address + " (expected: a resolved " + family + " address)");
        }
    }

    /** Spec 2.2: a v2 unix path field holds 108 bytes; we carry each byte as one ISO-8859-1 char. */
    private static boolean fitsUnixPath(String path) {
        if (path.length() > UNIX_PATH_BYTES) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** LOCAL without TLVs: what a proxy sends on its own connections, e.g. health checks. */
    public static ProxyHeader local() {
        return LOCAL;
    }

    public static ProxyHeader local(List<Tlv> tlvs) {
        return tlvs.isEmpty() ? LOCAL : new ProxyHeader(Command.LOCAL, Family.UNSPEC, Transport.UNSPEC, null, null, tlvs);
    }

    /** PROXY for an unknown protocol (v1 {@code PROXY UNKNOWN}, v2 family 0x00). */
    public static ProxyHeader unknown() {
        return UNKNOWN;
    }

    /**
     * A relayed TCP connection. When one address is IPv4 and the other IPv6 (a dual-stack
     * listener), the IPv4 one becomes IPv4-mapped IPv6 so both share one family as the spec requires.
     */
    public static ProxyHeader proxy(InetSocketAddress source, InetSocketAddress destination, List<Tlv> tlvs) {
        return proxy(Transport.STREAM, source, destination, tlvs);
    }

    public static ProxyHeader proxy(Transport transport, InetSocketAddress source, InetSocketAddress destination, List<Tlv> tlvs) {
        InetAddress src = source.getAddress();
        InetAddress dst = destination.getAddress();
        if (src == null || dst == null) {
            throw new IllegalArgumentException("addresses: " + source + ", " + destination + " (expected: resolved)");
        }
        if (src instanceof Inet4Address && dst instanceof Inet4Address) {
            return new ProxyHeader(Command.PROXY, Family.INET, transport, source, destination, tlvs);
        }
        return new ProxyHeader(Command.PROXY, Family.INET6, transport, asV6(source), asV6(destination), tlvs);
    }

    /** A relayed connection between unix sockets. */
    public static ProxyHeader proxy(Transport transport, DomainSocketAddress source, DomainSocketAddress destination, List<Tlv> tlvs) {
        return new ProxyHeader(Command.PROXY, Family.UNIX, transport, source, destination, tlvs);
    }

    private static InetSocketAddress asV6(InetSocketAddress address) {
        if (address.getAddress() instanceof Inet6Address) {
            return address;
        }
        byte[] v4 = address.getAddress().getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, mapped, 12, 4);
        try {
            return new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), address.getPort());
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an IPv6 address", e);
        }
    }

    public Command command() {
        return command;
    }

    public Family family() {
        return family;
    }

    public Transport transport() {
        return transport;
    }

    /** The client's address, or {@code null} for LOCAL and UNSPEC (use the real peer address). */
    public SocketAddress source() {
        return source;
    }

    /** The address the client connected to, or {@code null} for LOCAL and UNSPEC. */
    public SocketAddress destination() {
        return destination;
    }

    /** The TLVs in the order received, without CRC32C and NOOP, which only frame the header. */
    public List<Tlv> tlvs() {
        return tlvs;
    }

    /** The first TLV of {@code type} as raw bytes (a copy), e.g. a custom 0xE0–0xEF type. */
    public Optional<byte[]> tlv(int type) {
        Tlv tlv = find(type);
        return tlv == null ? Optional.empty() : Optional.of(tlv.value());
    }

    public Optional<String> alpn() {
        return string(Tlv.ALPN);
    }

    public Optional<String> authority() {
        return string(Tlv.AUTHORITY);
    }

    public Optional<byte[]> uniqueId() {
        return tlv(Tlv.UNIQUE_ID);
    }

    public Optional<SslInfo> ssl() {
        return Optional.ofNullable(ssl);
    }

    public Optional<String> netns() {
        return string(Tlv.NETNS);
    }

    private Optional<String> string(int type) {
        Tlv tlv = find(type);
        return tlv == null ? Optional.empty() : Optional.of(tlv.valueAsString());
    }

    private Tlv find(int type) {
        for (Tlv tlv : tlvs) {
            if (tlv.type() == type) {
                return tlv;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxyHeader that && command == that.command && family == that.family
                && transport == that.transport && Objects.equals(source, that.source)
                && Objects.equals(destination, that.destination) && tlvs.equals(that.tlvs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, family, transport, source, destination, tlvs);
    }

    @Override
    public String toString() {
        return "ProxyHeader[" + command + " " + family + "/" + transport + " " + source + " -> " + destination
                + (tlvs.isEmpty() ? "" : " " + tlvs) + "]";
    }
}
