package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.DispatchLines;
import dev.sluice.balancer.config.model.Proxy;
import java.util.Map;

/**
 * The checks of one {@code use-server}, {@code force-persist} or {@code ignore-persist} line once
 * its section is complete: a use-server line names a server of its backend (HAProxy's message);
 * the condition compiles with the ACLs above it.
 */
final class DispatchRules {

    private DispatchRules() {
    }

    static void compile(DispatchLines.Line rule, Proxy proxy, AclScope scope, Diagnostics diagnostics,
                        Map<SourceLocation, Condition> compiled) {
        if (rule.kind() == DispatchLines.Kind.USE_SERVER
                && proxy.servers().stream().noneMatch(s -> s.name().equals(rule.server()))) {
            diagnostics.alert(rule.location(), proxy.describe() + " : unable to find server '" + rule.server()
                    + "' referenced in a 'use-server' rule.");
            return;
        }
        if (proxy.mode() == dev.sluice.balancer.config.model.Mode.TCP) {
            diagnostics.alert(rule.location(), "'" + rule.describe() + "' in tcp " + proxy.describe() + " is not "
                    + "supported yet (sluice applies it to HTTP requests).");
            return;
        }
        var condition = rule.condition();
        compiled.put(rule.location(), scope.condition(condition.negated(), condition.words()));
    }
}
