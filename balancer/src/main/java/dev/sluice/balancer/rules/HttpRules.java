package dev.sluice.balancer.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * A proxy's HTTP rules ready to run.
 *
 * @param request   {@code http-request} rules in file order
 * @param redirects {@code redirect} rules in file order: they run after the request rules, even after an
 *                  {@code allow}, as in HAProxy
 * @param response  {@code http-response} rules in file order
 * @param tarpit   {@code timeout tarpit}; {@link Duration#ZERO} when not set (HAProxy then uses {@code timeout connect})
 * @param afterResponse {@code http-after-response} rules in file order: they run on every response, the
 *                 balancer's own (deny, return, redirect, auth, error pages) included
 */
public record HttpRules(RuleSet request, RuleSet redirects, RuleSet response, Duration tarpit,
                        RuleSet afterResponse) {

    public static final HttpRules NONE = new HttpRules(RuleSet.EMPTY, RuleSet.EMPTY, RuleSet.EMPTY, Duration.ZERO);

    /** Rules without {@code http-after-response}. */
    public HttpRules(RuleSet request, RuleSet redirects, RuleSet response, Duration tarpit) {
        this(request, redirects, response, tarpit, RuleSet.EMPTY);
    }

    public HttpRules {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(redirects, "redirects");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(tarpit, "tarpit");
        Objects.requireNonNull(afterResponse, "afterResponse");
        if (tarpit.isNegative()) {
            throw new IllegalArgumentException("tarpit: " + tarpit + " (expected: >= 0)");
        }
    }

    public boolean isEmpty() {
        return request.isEmpty() && redirects.isEmpty() && response.isEmpty() && afterResponse.isEmpty();
    }

    /** Whether a request meets any rule here: request or redirect rules. */
    public boolean hasRequestRules() {
        return !request.isEmpty() || !redirects.isEmpty();
    }

    /** The request rules, then (unless one of them ended the request) the redirect rules. */
    public Verdict runRequest(RuleContext context) {
        Verdict verdict = request.run(context);
        if (verdict != Verdict.CONTINUE && verdict != Verdict.ALLOW) {
            return verdict;
        }
        Verdict redirect = redirects.run(context);
        return redirect == Verdict.CONTINUE ? verdict : redirect;
    }
}
