/**
 * Live figures and the ways they are read. {@link dev.sluice.balancer.stats.Counters} hold one
 * frontend's, backend's or server's HAProxy-named figures, updated on the request path without
 * locks or allocation ({@link dev.sluice.balancer.stats.ExchangeStats} per HTTP connection,
 * {@link dev.sluice.balancer.stats.SessionCounter} and {@link dev.sluice.balancer.stats.ServerBytes}
 * on the sockets). {@link dev.sluice.balancer.stats.StatsRegistry} lists every proxy of the running
 * engine; {@link dev.sluice.balancer.stats.StatRows} turns it into HAProxy 2.6's stats lines, which
 * become CSV, typed JSON, the HTML page and the Prometheus text, served inside the balancer by
 * {@link dev.sluice.balancer.stats.StatsPageService} and {@link dev.sluice.balancer.stats.PrometheusService}.
 */
package dev.sluice.balancer.stats;
