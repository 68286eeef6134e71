/**
 * How a backend's request reaches a server beyond the balance algorithm: {@code use-server} rules,
 * {@code force-persist} / {@code ignore-persist} / {@code option persist}, and what happens after a
 * failed attempt ({@code retries}, {@code retry-on}, {@code option redispatch [N]}). Pure decisions
 * over immutable plans; the HTTP exchange calls them (see {@code http/L7Retry}).
 */
package dev.sluice.balancer.dispatch;
