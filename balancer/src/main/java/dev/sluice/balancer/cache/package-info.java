/**
 * HAProxy's small object cache: the {@code cache NAME} section ({@link dev.sluice.balancer.cache.CacheSection}),
 * the shared store of one section ({@link dev.sluice.balancer.cache.ObjectCache}), HAProxy's rules for what
 * may be stored and served ({@link dev.sluice.balancer.cache.Cacheability}), and the per-connection glue the
 * HTTP exchange calls ({@link dev.sluice.balancer.cache.CacheExchange}). The {@code cache-use} and
 * {@code cache-store} actions live in the rules package.
 */
package dev.sluice.balancer.cache;
