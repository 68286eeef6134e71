/**
 * Server selection: every {@code balance} algorithm of HAProxy and its hash functions, as pure code over
 * immutable snapshots (no sockets, no locks, no allocation per pick).
 *
 * <p>How the engine uses it:
 * <ol>
 *   <li>From the config, a {@link dev.sluice.balancer.lb.Balance} (algorithm, {@code hash-type},
 *       {@code hash-balance-factor}, {@code option allbackups}) and one
 *       {@link dev.sluice.balancer.lb.Candidate} per server (ids from
 *       {@link dev.sluice.balancer.lb.ServerIds#assign}, the engine's counters as
 *       {@link dev.sluice.balancer.lb.ServerLoad}).</li>
 *   <li>{@code balance.snapshot(candidates)} gives a {@link dev.sluice.balancer.lb.ServerSet}, shared by
 *       every event loop; each loop takes its own {@link dev.sluice.balancer.lb.LoadBalancer} from it.</li>
 *   <li>Per request: fill a reused {@link dev.sluice.balancer.lb.PickContext} with what the algorithm hashes,
 *       mark servers already tried with {@code avoid}, call {@code pick}, and read the result as
 *       {@link dev.sluice.balancer.lb.LoadBalancer} explains (503, backend queue, server queue, go).</li>
 *   <li>On a health, admin or weight change: {@code set.with(newCandidates)}, publish the new set, and let
 *       each loop replace its balancer with {@code newLoadBalancer(random, previous)} on its next pick.</li>
 * </ol>
 *
 * <p>{@code HaproxyParityIT} checks the hashing algorithms key by key against a real HAProxy 2.6.
 */
package dev.sluice.balancer.lb;
