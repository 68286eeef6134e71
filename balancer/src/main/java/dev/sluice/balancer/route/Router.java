package dev.sluice.balancer.route;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.format.FormatContext;
import dev.sluice.balancer.format.FormatString;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.UseBackendRule;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A frontend's backend choice: the first {@code use_backend} rule whose condition holds, else
 * {@code default_backend} (HAProxy's order). {@code T} is whatever the caller keeps per backend;
 * the rules are resolved to it once, so a choice costs only the conditions' evaluation.
 *
 * <p>A dynamic rule ({@code use_backend %[…]}) renders its name per request and looks it up among
 * the candidates given at construction; a name that is no candidate ends the rules and the default
 * backend is used, as HAProxy does.
 */
public final class Router<T> {

    private static final FastThreadLocal<NameRenderer> RENDERERS = new FastThreadLocal<>() {
        @Override
        protected NameRenderer initialValue() {
            return new NameRenderer();
        }
    };

    private final UseBackendRule[] rules;
    private final Object[] targets;
    private final String[] candidateNames;
    private final Object[] candidates;
    private final T fallback;
    private final String frontendName;

    /** @param resolve the caller's object for a backend name (the plan guarantees the name exists) */
    public Router(FrontendPlan frontend, Function<String, T> resolve) {
        this(frontend, resolve, List.of());
    }

    /**
     * @param dynamicCandidates the backends a dynamic rule may name (those whose mode fits the frontend)
     */
    public Router(FrontendPlan frontend, Function<String, T> resolve, Collection<String> dynamicCandidates) {
        Objects.requireNonNull(resolve, "resolve");
        frontendName = frontend.name();
        List<UseBackendRule> written = frontend.useBackends();
        rules = written.toArray(new UseBackendRule[0]);
        targets = new Object[rules.length];
        boolean anyDynamic = false;
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].dynamicName() != null) {
                anyDynamic = true;
                continue;
            }
            targets[i] = Objects.requireNonNull(resolve.apply(rules[i].backend()), rules[i].backend());
        }
        candidateNames = anyDynamic ? dynamicCandidates.toArray(new String[0]) : new String[0];
        candidates = new Object[candidateNames.length];
        for (int i = 0; i < candidateNames.length; i++) {
            candidates[i] = Objects.requireNonNull(resolve.apply(candidateNames[i]), candidateNames[i]);
        }
        fallback = frontend.defaultBackend() == null ? null : resolve.apply(frontend.defaultBackend());
    }

    /** The chosen backend's object, or {@code null} when no rule matched and there is no default. */
    @SuppressWarnings("unchecked")
    public T choose(RequestView request) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(request)) {
                if (targets[i] != null) {
                    return (T) targets[i];
                }
                Object found = byName(rules[i].dynamicName(), request);
                return found != null ? (T) found : fallback;
            }
        }
        return fallback;
    }

    /** Renders the name and compares it in place with each candidate: no String per request. */
    private Object byName(FormatString name, RequestView request) {
        NameRenderer renderer = RENDERERS.get();
        StringBuilder rendered = renderer.render(name, request, frontendName);
        for (int i = 0; i < candidateNames.length; i++) {
            if (candidateNames[i].contentEquals(rendered)) {
                return candidates[i];
            }
        }
        return null;
    }

    /** Whether some rule has a condition, i.e. the choice depends on the request. */
    public boolean conditional() {
        for (UseBackendRule rule : rules) {
            if (rule.condition() != null || rule.dynamicName() != null) {
                return true;
            }
        }
        return false;
    }

    /** One per thread: the format context and buffer a dynamic name renders into. */
    private static final class NameRenderer implements FormatContext {
        private final StringBuilder out = new StringBuilder(64);
        private RequestView view;
        private String frontend;

        StringBuilder render(FormatString name, RequestView request, String frontendName) {
            view = request;
            frontend = frontendName;
            out.setLength(0);
            name.render(out, this);
            view = null;
            return out;
        }

        @Override
        public RequestView request() {
            return view;
        }

        @Override
        public CharSequence frontendName() {
            return frontend;
        }

        @Override
        public CharSequence backendName() {
            return null;
        }

        @Override
        public CharSequence serverName() {
            return null;
        }
    }
}
