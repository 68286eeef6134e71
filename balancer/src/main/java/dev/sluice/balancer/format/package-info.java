/**
 * HAProxy log-format strings compiled once, rendered per request.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * FormatCompiler values = FormatCompiler.forValues(AliasTable.STANDARD,
 *         text -> aclCompiler.sampleExpression(text, proxyName));
 * FormatString f = values.compile("%[req.hdr(host),lower]:%cp");   // at configuration time
 * f.render(stringBuilder, context);                                 // per request, on its event loop
 * }</pre>
 * {@link dev.sluice.balancer.format.FormatContext} is what a string reads; the access log extends it
 * with its timers and termination state and adds the aliases that read them with
 * {@link dev.sluice.balancer.format.AliasTable#with}, then compiles with
 * {@link dev.sluice.balancer.format.FormatCompiler#forLogLines} (a missing value prints {@code -},
 * {@code +Q} quotes). Rule values use {@code forValues}: a missing value prints nothing and
 * {@code +Q} adds no quotes, which is what haproxy 2.6 does in header values.
 *
 * <h2>Cost</h2>
 * Literals, the standard aliases except {@code %t}, and samples without converters append without
 * allocating; a converter allocates its small stage per evaluation (see the acl package).
 */
package dev.sluice.balancer.format;
