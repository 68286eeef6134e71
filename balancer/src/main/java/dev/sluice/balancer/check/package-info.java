/**
 * Active health checks, as HAProxy runs them: a TCP connect or an {@code option httpchk} request
 * ({@link dev.sluice.balancer.check.HttpProbe}) per server on one of the balancer's event loops, started at a
 * random share of {@code inter} and then at the interval the server's state asks for. Results feed the
 * rise/fall counter in {@link dev.sluice.balancer.backend.ServerState}; a transition rebuilds the backend's
 * server set and is logged once ({@link dev.sluice.balancer.check.TransitionLog}).
 */
package dev.sluice.balancer.check;
