package dev.sluice.balancer.stats;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.http.LocalService;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.ServiceRule;
import dev.sluice.balancer.runtime.StatsPage;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Map;

/**
 * What one HTTP frontend answers itself, in HAProxy's order: its {@code use-service} rules
 * (an {@code http-request} action, before backend selection), then its own stats page, then the
 * stats page of the backend the request was routed to. Nothing is allocated for a request that
 * none of them takes.
 */
public final class Services implements LocalService.Selector {
    private final ServiceRule[] rules;
    private final LocalService[] ruleServices;
    private final StatsPageService frontPage;
    private final Map<String, StatsPageService> backendPages;

    private Services(ServiceRule[] rules, LocalService[] ruleServices, StatsPageService frontPage,
                     Map<String, StatsPageService> backendPages) {
        this.rules = rules;
        this.ruleServices = ruleServices;
        this.frontPage = frontPage;
        this.backendPages = backendPages;
    }

    /** The selector for {@code frontend}, or {@link LocalService.Selector#NONE} when it answers nothing itself. */
    public static LocalService.Selector of(FrontendPlan frontend, Map<String, StatsPage> backendPages,
                                           StatsRegistry registry, ServerActions actions) {
        List<ServiceRule> written = frontend.visibility().services();
        ServiceRule[] rules = written.toArray(new ServiceRule[0]);
        LocalService[] services = new LocalService[rules.length];
        for (int i = 0; i < rules.length; i++) {
            if (!rules[i].service().equals(ServiceRule.PROMETHEUS)) {
                throw new IllegalArgumentException("unknown service '" + rules[i].service() + "'");
            }
            services[i] = new PrometheusService(registry);
        }
        StatsPage own = frontend.visibility().stats();
        StatsPageService frontPage = own.enabled() ? new StatsPageService(own, registry, actions) : null;
        Map<String, StatsPageService> pages = new java.util.HashMap<>();
        backendPages.forEach((name, page) -> {
            if (page.enabled()) {
                pages.put(name, new StatsPageService(page, registry, actions));
            }
        });
        if (rules.length == 0 && frontPage == null && pages.isEmpty()) {
            return LocalService.Selector.NONE;
        }
        return new Services(rules, services, frontPage, Map.copyOf(pages));
    }

    @Override
    public LocalService select(HttpRequest request, RequestView view, String backend) {
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].matches(view)) {
                return ruleServices[i];
            }
        }
        if (frontPage != null && frontPage.matches(request)) {
            return frontPage;
        }
        if (backend != null && !backendPages.isEmpty()) {
            StatsPageService page = backendPages.get(backend);
            if (page != null && page.matches(request)) {
                return page;
            }
        }
        return null;
    }
}
