/**
 * Content switching at run time: {@link dev.sluice.balancer.route.Router} tries a frontend's
 * {@code use_backend} rules in order over a {@link dev.sluice.balancer.route.ConnectionFacts} (the
 * ACL engine's view of one request and its connection, read in place from Netty's objects) and an
 * {@link dev.sluice.balancer.route.EngineState} (live backend figures for {@code nbsrv}, {@code be_conn}…).
 */
package dev.sluice.balancer.route;
