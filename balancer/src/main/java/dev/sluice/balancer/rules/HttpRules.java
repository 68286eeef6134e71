package dev.sluice.balancer.rules;

import java.time.Duration;
import java.util.Objects;

/**
 * A proxy's HTTP rules ready to run.
 *
 * @param request  {@code http-request} rules, then {@code redirect} rules (HAProxy's order), each in file order
 * @param response {@code http-response} rules in file order
 * @param tarpit   {@code timeout tarpit}; {@link Duration#ZERO} when not set (HAProxy then uses {@code timeout connect})
 */
public record HttpRules(RuleSet request, RuleSet response, Duration tarpit) {

    public static final HttpRules NONE = new HttpRules(RuleSet.EMPTY, RuleSet.EMPTY, Duration.ZERO);

    public HttpRules {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(tarpit, "tarpit");
        if (tarpit.isNegative()) {
            throw new IllegalArgumentException("tarpit: " + tarpit + " (expected: >= 0)");
        }
    }

    public boolean isEmpty() {
        return request.isEmpty() && response.isEmpty();
    }
}
