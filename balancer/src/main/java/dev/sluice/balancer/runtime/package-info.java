/**
 * The runtime plan: immutable records a configuration compiles into and the engine runs from
 * ({@code Balancer.start(RuntimePlan)}). Nothing here knows HAProxy syntax; the config compiler
 * fills these in after its own validation, and the records re-check their invariants (ranges,
 * cross-references, modes) so a plan that builds is a plan that runs.
 *
 * <p>Conventions: {@link java.time.Duration#ZERO} means "not set" for a timeout and
 * {@link dev.sluice.balancer.runtime.Timeouts} applies HAProxy's fallbacks; 0 means "unlimited"
 * for a {@code maxconn}; {@code use_backend} rules are tried in order per request (per connection in tcp mode)
 * over {@code default_backend}; errorfiles are complete raw HTTP responses keyed by status.
 */
package dev.sluice.balancer.runtime;
