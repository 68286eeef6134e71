/**
 * Stick tables, tracked counters and the {@code tcp-request} rules that feed them: HAProxy 2.6's
 * per-client state for rate limits, connection caps and persistence.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.sluice.balancer.stick.StickTable} — one {@code stick-table}: keys to
 *       {@link dev.sluice.balancer.stick.StickEntry}s, bounded by {@code size} (oldest untracked
 *       entries purged in batches, or new keys refused with {@code nopurge}), entries expire
 *       {@code expire} after their last update. Shared by every event loop: a concurrent map and
 *       a lock per entry, nothing table-wide on the request path.
 *       {@link dev.sluice.balancer.stick.StickTables} holds them by name for a running config.</li>
 *   <li>{@link dev.sluice.balancer.stick.FreqCounter} — a rate with HAProxy's freq_ctr arithmetic,
 *       so {@code sc0_http_req_rate} reads what HAProxy would.</li>
 *   <li>{@link dev.sluice.balancer.stick.TrackedCounters} — a connection's sc0..sc2 slots, found
 *       with {@link dev.sluice.balancer.stick.Tracking#counters(io.netty.channel.Channel)}.</li>
 *   <li>{@link dev.sluice.balancer.stick.TcpRules} — {@code tcp-request connection|session|content}
 *       rules, run by {@code front.TcpRequestGate} (connection and session) and
 *       {@code http.HttpFrontend#contentRejects} (content, per HTTP request).</li>
 *   <li>{@link dev.sluice.balancer.stick.StickPersistence} — {@code stick on|match|store-request},
 *       applied by {@code http.StickyServers} before the balance algorithm.</li>
 * </ul>
 *
 * <h2>For {@code http-request track-scN KEY [table T]}</h2>
 * Compile KEY with {@code AclCompiler.sampleExpression}; check the table with
 * {@code ProxyCatalog.hasTable} (default: the rule's own proxy). Per request, on the event loop:
 * <pre>{@code
 * StickTable table = request.state().stickTables().get(tableName);
 * Tracking.trackRequest(channel, slot, table, key, request);   // counts this request too
 * }</pre>
 * The track lasts until the request ends ({@code Tracking.requestEnded}, already hooked in
 * {@code HttpExchangeHandler.reset}). The fetches {@code sc*_}, {@code src_*}, {@code table_*} live
 * in {@code acl.StickFetches}.
 *
 * <h2>Hooks in the HTTP exchange</h2>
 * {@link dev.sluice.balancer.stick.Tracking#requestStarted} (after the content rules, before
 * routing), {@link dev.sluice.balancer.stick.Tracking#responseStatus} (response head and
 * refusals: 4xx count as errors) and {@link dev.sluice.balancer.stick.Tracking#requestEnded}.
 */
package dev.sluice.balancer.stick;
