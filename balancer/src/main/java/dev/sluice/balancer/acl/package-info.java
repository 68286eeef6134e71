/**
 * HAProxy 2.6 ACLs, socket-free: fetches, converters, matchers and conditions compiled once from
 * configuration words and evaluated per request over a {@link dev.sluice.balancer.acl.RequestView}.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * AclCompiler compiler = new AclCompiler(baseDirectory, catalog);   // one per configuration load
 * AclScope fe = compiler.scope("fe");                               // one per proxy section
 * fe.define(List.of("api", "path_beg", "/api/"));                   // each "acl" line, in file order
 * Condition c = fe.condition(List.of("if", "api", "!LOCALHOST"));  // each if/unless, in file order
 * boolean applies = c.test(request);                                // per request, on its event loop
 * SampleExpression key = compiler.sampleExpression("req.hdr(host),lower,map(hosts.map,www)", "fe");
 * }</pre>
 * Errors are {@link dev.sluice.balancer.acl.AclException}s worded like HAProxy's messages (the
 * caller adds {@code [ALERT] file:line:}); {@code kind()} tells a line HAProxy also refuses
 * ({@code INVALID}) from a valid one Sluice does not implement ({@code UNSUPPORTED}).
 *
 * <h2>Cost per request</h2>
 * A condition test allocates nothing: values are ranges of the request's own
 * {@link java.lang.CharSequence}s, string sets are hashed, address sets are binary-searched over
 * merged ranges (O(log n), 100,000 networks in ≈ 17 steps), regexes are compiled once and their
 * matchers reused per thread. What does allocate: {@code hdr_ip} and string-to-address casts (the
 * parsed {@link dev.sluice.balancer.acl.IpAddress}), {@code ipmask} (the masked address), casting
 * an address to a string for a string method, and
 * {@link dev.sluice.balancer.acl.SampleExpression#evaluate} with converters (one stage per converter;
 * ACLs build theirs once).
 *
 * <h2>Where Sluice differs from haproxy 2.6 on purpose</h2>
 * Empty conditions ({@code if} alone) are refused; host names in address patterns are refused
 * rather than resolved; non-contiguous dotted netmasks are refused; {@code fc_pp_tlv(ID)} (HAProxy
 * 2.9) is offered; {@code REQ_CONTENT}, {@code WAIT_END}, {@code RDP_COOKIE} and buffer fetches are
 * refused as unsupported. HaproxyCheckDifferentialIT and HaproxyRuntimeDifferentialIT hold the
 * evidence for the rest.
 */
package dev.sluice.balancer.acl;
