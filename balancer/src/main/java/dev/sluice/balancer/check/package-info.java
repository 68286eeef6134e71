/**
 * Active health checks, as HAProxy runs them: a TCP connect or an {@code option httpchk} request
 * ({@link dev.sluice.balancer.check.HttpProbe}) per server on one of the balancer's event loops, started at a
 * random share of {@code inter} and then at the interval the server's state asks for. Results feed the
 * rise/fall counter in {@link dev.sluice.balancer.backend.ServerState}; a transition rebuilds the backend's
 * server set and is logged once ({@link dev.sluice.balancer.check.TransitionLog}).
 *
 * <p>{@code option tcp-check} and the protocol checks ({@code redis-check}, {@code ssl-hello-chk}, {@code smtpchk},
 * {@code mysql-check}, {@code pgsql-check}, {@code ldap-check}) are rulesets ({@link dev.sluice.balancer.check.TcpCheck},
 * {@link dev.sluice.balancer.check.ProtocolChecks}) run by a pure engine (TcpCheckRun) behind a thin handler.
 * {@code track} makes servers follow a checked one (Tracking); {@code agent-check} asks an agent for a state and
 * a weight (AgentChecker, {@link dev.sluice.balancer.check.AgentReply}).
 */
package dev.sluice.balancer.check;
