/**
 * The PROXY protocol, v1 and v2 (HAProxy's doc/proxy-protocol.txt): how the balancer learns the
 * real client behind the terminator.
 *
 * <ul>
 *   <li>{@link dev.sluice.common.proxy.ProxyHeader}: the immutable header with typed TLV views.</li>
 *   <li>{@link dev.sluice.common.proxy.ProxyHeaderDecoder}: the inbound phase handler, configured by a
 *       {@link dev.sluice.common.proxy.ProxyAcceptance} and counting into a
 *       {@link dev.sluice.common.proxy.ProxyCounters}; refusals are {@link dev.sluice.common.proxy.ProxyRefusal}s.</li>
 *   <li>{@link dev.sluice.common.proxy.ProxyHeaderEncoder}: static writers into a caller's buffer, and a handler.</li>
 *   <li>{@link dev.sluice.common.proxy.ProxyHeaderParser}: the pure, strict parser both sides test against.</li>
 * </ul>
 *
 * <p>What comes from Netty: address text parsing and RFC 5952 formatting ({@code NetUtil}),
 * {@code MessageToByteEncoder}, the merge cumulator, {@code DomainSocketAddress} for unix paths, and
 * {@code codec-haproxy}'s decoder and encoder as an independent reference in the tests. Its
 * {@code HAProxyMessageDecoder} is not used on the data path: it reports failures as exception
 * messages rather than reasons we can count, accepts v1 lines up to 108 bytes, ignores CRC32C,
 * leaves TLV values as reference-counted buffers the application must release, has no deadline or
 * trusted-source policy, and decodes into a type that would be converted once more into ours.
 */
package dev.sluice.common.proxy;
