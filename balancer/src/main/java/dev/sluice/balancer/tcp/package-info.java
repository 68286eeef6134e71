/**
 * {@code mode tcp} and the byte relay used by it and by HTTP tunnels. Minimal on purpose: no
 * half-close yet; it should merge with {@code dev.sluice.common.relay} once that lands.
 */
package dev.sluice.balancer.tcp;
