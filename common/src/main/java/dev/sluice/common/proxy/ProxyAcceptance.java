package dev.sluice.common.proxy;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which connections must, may or must not carry a PROXY header, and the bounds on reading one.
 *
 * <ul>
 *   <li>{@link Mode#REQUIRED} (HAProxy's {@code accept-proxy}): every connection starts with a header.
 *       With a trusted list, connections from other sources are refused before anything is read.</li>
 *   <li>{@link Mode#TRUSTED_SOURCES} (the building block of HAProxy's {@code tcp-request connection
 *       expect-proxy layer4 if { src … }}): trusted sources must send a header; other sources are
 *       plain connections, and a header from them is refused as a spoofing attempt.</li>
 * </ul>
 * Unix socket peers count as trusted: only local processes allowed by the socket's permissions
 * reach them.
 *
 * @param deadline    how long the header may take to arrive completely
 * @param maxV2Bytes  the largest v2 header accepted, fixed part and TLVs included
 */
public record ProxyAcceptance(Mode mode, List<Cidr> trustedSources, Duration deadline, int maxV2Bytes) {
    /** A generous bound for a slow or split header; HAProxy's default is similar (timeout client). */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(3);
    /** HAProxy reads the header into one buffer of tune.bufsize, 16384 bytes by default. */
    public static final int DEFAULT_MAX_V2_BYTES = 16_384;
    /** Fixed part plus the largest (unix) address block: a smaller limit would refuse valid headers. */
    public static final int MIN_MAX_V2_BYTES = ProxyHeaderParser.V2_FIXED_BYTES + 216;

    public enum Mode { REQUIRED, TRUSTED_SOURCES }

    public ProxyAcceptance {
        Objects.requireNonNull(mode, "mode");
        trustedSources = List.copyOf(trustedSources);
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
        }
        if (maxV2Bytes < MIN_MAX_V2_BYTES || maxV2Bytes > ProxyHeaderParser.V2_MAX_BYTES) {
            throw new IllegalArgumentException("maxV2Bytes: " + maxV2Bytes
                    + " (expected: " + MIN_MAX_V2_BYTES + "-" + ProxyHeaderParser.V2_MAX_BYTES + ")");
        }
        if (mode == Mode.TRUSTED_SOURCES && trustedSources.isEmpty()) {
            throw new IllegalArgumentException("trustedSources: empty (expected: at least one network for TRUSTED_SOURCES)");
        }
    }

    /** Every connection, from any source, must start with a header. */
    public static ProxyAcceptance required() {
        return new ProxyAcceptance(Mode.REQUIRED, List.of(), DEFAULT_DEADLINE, DEFAULT_MAX_V2_BYTES);
    }

    /** Every connection must come from {@code trusted} and start with a header. */
    public static ProxyAcceptance requiredFrom(List<Cidr> trusted) {
        return new ProxyAcceptance(Mode.REQUIRED, trusted, DEFAULT_DEADLINE, DEFAULT_MAX_V2_BYTES);
    }

    /** Connections from {@code trusted} must start with a header; others must not carry one. */
    public static ProxyAcceptance expectedFrom(List<Cidr> trusted) {
        return new ProxyAcceptance(Mode.TRUSTED_SOURCES, trusted, DEFAULT_DEADLINE, DEFAULT_MAX_V2_BYTES);
    }

    public ProxyAcceptance withDeadline(Duration deadline) {
        return new ProxyAcceptance(mode, trustedSources, deadline, maxV2Bytes);
    }

    public ProxyAcceptance withMaxV2Bytes(int maxV2Bytes) {
        return new ProxyAcceptance(mode, trustedSources, deadline, maxV2Bytes);
    }

    /** True when {@code peer} may send a header: any peer without a list, else a listed or local one. */
    public boolean trusts(SocketAddress peer) {
        if (trustedSources.isEmpty() || peer instanceof DomainSocketAddress) {
            return true;
        }
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
            for (Cidr cidr : trustedSources) {
                if (cidr.matches(inet.getAddress())) {
                    return true;
                }
            }
        }
        return false;
    }
}
