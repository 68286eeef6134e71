package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.TcpRequestRule;
import dev.sluice.balancer.stick.TcpRule;
import java.util.List;
import java.util.Map;

/**
 * The checks of one {@code tcp-request} line once the whole configuration is known: the table its
 * {@code track-scN} uses exists, and its condition only reads what exists in its phase (layer-4
 * facts before the request; the inspected payload in content rules; HTTP only in content rules of an
 * http frontend).
 */
final class StickRules {

    private StickRules() {
    }

    static void compile(TcpRequestRule rule, Proxy proxy, AclScope scope, Layer4 layer4, List<Proxy> proxies,
                        Diagnostics diagnostics, Map<SourceLocation, Condition> compiled) {
        if (rule.action() == TcpRule.Action.TRACK) {
            String table = rule.table().orElse(proxy.name());
            boolean exists = proxies.stream().anyMatch(p -> p.name().equals(table) && p.stick().table().isPresent());
            if (!exists) {
                diagnostics.alert(rule.location(), "'" + rule.describe() + "': " + (rule.table().isPresent()
                        ? "unable to find table '" + table + "'" : proxy.describe() + " has no stick-table (declare "
                        + "one or add 'table NAME')") + ".");
            }
        }
        if (rule.key() != null && needsLayer4(rule, proxy)) {
            String keyHttp = layer4.httpFetch(List.of("{", rule.key().text(), "}"));
            if (keyHttp != null) {
                diagnostics.alert(rule.location(), "'" + rule.describe() + "': fetch '" + keyHttp + "' needs the HTTP "
                        + "request, which does not exist yet in this phase.");
            }
        }
        if (rule.condition().isEmpty()) {
            return;
        }
        var condition = rule.condition().get();
        Condition c = scope.condition(condition.negated(), condition.words());
        String payloadFetch = rule.phase() != TcpRule.Phase.CONTENT ? layer4.payloadFetch(condition.words()) : null;
        if (payloadFetch != null) {
            // HAProxy warns and keeps the rule; it never matches, as the payload fetches find nothing then.
            diagnostics.warning(rule.location(), "'" + rule.describe() + "': '" + payloadFetch + "' reads the "
                    + "connection's first bytes, which only 'tcp-request content' rules see: this condition will "
                    + "never match.");
        }
        String httpFetch = needsLayer4(rule, proxy) ? layer4.httpFetch(condition.words()) : null;
        if (httpFetch != null) {
            diagnostics.alert(rule.location(), "'" + rule.describe() + "': '" + httpFetch + "' needs the HTTP request, "
                    + "which does not exist yet in this phase (use layer-4 fetches such as src, dst_port or the "
                    + "stick counters).");
            return;
        }
        compiled.put(rule.location(), c);
    }

    /** A backend's {@code stick} line: its table exists; its condition compiles. */
    static void compile(dev.sluice.balancer.config.model.StickRule rule, Proxy proxy, AclScope scope,
                        List<Proxy> proxies, Diagnostics diagnostics, Map<SourceLocation, Condition> compiled) {
        String table = rule.table().orElse(proxy.name());
        if (proxies.stream().noneMatch(p -> p.name().equals(table) && p.stick().table().isPresent())) {
            diagnostics.alert(rule.location(), "'" + rule.describe() + "': " + (rule.table().isPresent()
                    ? "unable to find table '" + table + "'" : proxy.describe() + " has no stick-table (declare one "
                    + "or add 'table NAME')") + ".");
        }
        if (proxy.mode() == Mode.TCP) {
            diagnostics.alert(rule.location(), "'" + rule.describe() + "' in tcp " + proxy.describe() + " is not "
                    + "supported yet (Sluice applies stick rules to HTTP requests).");
        }
        if (rule.condition().isPresent()) {
            var condition = rule.condition().get();
            compiled.put(rule.location(), scope.condition(condition.negated(), condition.words()));
        }
    }

    private static boolean needsLayer4(TcpRequestRule rule, Proxy proxy) {
        return rule.phase() != TcpRule.Phase.CONTENT || proxy.mode() == Mode.TCP;
    }
}
