package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.TcpResponseRule;
import java.util.Map;

/** A backend's {@code tcp-response content} line: its condition compiles with the section's ACLs. */
final class TcpResponseLines {

    private TcpResponseLines() {
    }

    static void compile(TcpResponseRule rule, Proxy proxy, AclScope scope, Diagnostics diagnostics,
                        Map<SourceLocation, Condition> compiled) {
        if (proxy.mode() != Mode.TCP) {
            // HAProxy 2.6 runs them on its internal HTTP message there (res.len counts that, not bytes).
            diagnostics.alert(rule.location(), "'" + rule.describe() + "' in http " + proxy.describe() + " is not "
                    + "supported yet (Sluice inspects the server's bytes in mode tcp only; use http-response rules).");
            return;
        }
        if (rule.condition().isEmpty()) {
            return;
        }
        var condition = rule.condition().get();
        compiled.put(rule.location(), scope.condition(condition.negated(), condition.words()));
    }
}
