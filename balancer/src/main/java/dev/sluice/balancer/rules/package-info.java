/**
 * HTTP rules: {@code http-request}, {@code http-response}, {@code http-after-response} and the proxy
 * {@code redirect} keyword,
 * compiled once into arrays of small {@link dev.sluice.balancer.rules.Action}s with their
 * conditions ({@link dev.sluice.balancer.rules.Rule}, {@link dev.sluice.balancer.rules.RuleSet}).
 *
 * <h2>Order, as in HAProxy 2.6</h2>
 * The frontend's {@code http-request} rules, then its {@code redirect} rules, then
 * {@code use_backend}, then the backend's request rules (skipped for a {@code listen} section, whose
 * rules already ran); for the response, the backend's {@code http-response} rules, then the
 * frontend's; then {@code http-after-response} (backend's, then frontend's) on every response, the
 * balancer's own replies and error pages included ({@code http.AfterResponse}). In each list the first final verdict ({@code allow}, {@code deny}, {@code tarpit},
 * {@code return}, {@code redirect}) stops the list; {@code allow} stops only its own list, so the
 * {@code redirect} rules still run after an {@code http-request allow} (RulesDifferentialIT). Values
 * are log-format strings ({@link dev.sluice.balancer.format}).
 *
 * <h2>At run time</h2>
 * {@code http.RequestRules} runs the lists for one connection with one
 * {@link dev.sluice.balancer.rules.RuleContext}, built only when a rule exists; the exchange sends the
 * reply a final rule chose ({@link dev.sluice.balancer.rules.RuleContext#buildReply}). A deny, return
 * or redirect keeps the client connection when the client asked to, as HAProxy 2.6 does (a rate
 * limit's 429 does not cost a keep-alive client its connection); a tarpit closes it.
 * {@code tarpit} waits {@code timeout tarpit} (else {@code timeout connect}) on a timer, never
 * blocking the event loop, then answers 500 (or {@code deny_status}).
 *
 * <h2>Stick counters</h2>
 * {@code http-request track-sc0|1|2 KEY [table T]} tracks KEY for the current request through
 * {@code stick.Tracking.trackRequest}, which counts the request in the entry (the slot was empty when
 * {@code Tracking.requestStarted} ran, so the request is counted once); the table, the proxy's own by
 * default, must exist when the configuration is loaded. {@code sc-inc-gpc0(N)} and {@code sc-inc-gpc1(N)}
 * add to {@code gpc0}/{@code gpc1} (and their rates) of slot N's entry, {@code sc-set-gpt0(N) VALUE}
 * sets its tag, in {@code http-request} and {@code http-response} as in {@code tcp-request}
 * ({@link dev.sluice.balancer.rules.StickActions}; HttpTrackIT runs them beside haproxy 2.6). Over HTTP/2 the counters belong to the connection (the view's channel) while
 * the exchange ends requests on the stream's channel, so a request-level track lasts until the
 * connection closes there: a known gap.
 *
 * <h2>Authentication</h2>
 * {@code http-request auth [realm R]} answers 401 with HAProxy's page and {@code WWW-Authenticate:
 * Basic realm="R"} (the proxy's name by default) and keeps the connection
 * ({@link dev.sluice.balancer.rules.AuthReply}); the {@code http_auth*} fetches check credentials
 * against the {@code userlist} sections ({@link dev.sluice.balancer.auth}). AuthDifferentialIT runs
 * both beside haproxy 2.6.
 *
 * <h2>Refused, with the reason</h2>
 * {@code track-sc*} in {@code http-response}, the {@code gpc}/{@code gpt} array actions
 * ({@code sc-inc-gpc}, {@code sc-set-gpt}, {@code sc-add-gpc}), {@code use-service},
 * {@code capture}, {@code set-log-level}, Lua actions,
 * {@code errorfile(s)} in replies and the other valid 2.6 actions listed in
 * {@link dev.sluice.balancer.rules.RuleParser}. Rules in a {@code mode tcp} proxy are refused (HAProxy
 * ignores them with a warning).
 *
 * <h2>Known differences from haproxy 2.6</h2>
 * Request fetches in {@code http-response} conditions read the request (HAProxy warns that they
 * never match there); {@code %HU}, {@code %HP}, {@code %HQ} show the request as rules left it
 * (HAProxy shows the original URI). Of the response fetches, {@code status} and {@code res.hdr(NAME)}
 * (last element) are offered; they find nothing outside {@code http-response} rules.
 */
package dev.sluice.balancer.rules;
