package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.TcpResponseRule;
import dev.sluice.balancer.stick.TcpResponseRules;
import java.util.Map;

/**
 * A backend's {@code tcp-response content} line: its condition compiles with the section's ACLs. In
 * HTTP mode, {@code close} and {@code silent-drop} are refused (not implemented there).
 */
final class TcpResponseLines {

    private TcpResponseLines() {
    }

    static void compile(TcpResponseRule rule, Proxy proxy, AclScope scope, Diagnostics diagnostics,
                        Map<SourceLocation, Condition> compiled) {
        if (proxy.mode() != Mode.TCP && (rule.action() == TcpResponseRules.Action.CLOSE
                || rule.action() == TcpResponseRules.Action.SILENT_DROP)) {
            diagnostics.alert(rule.location(), "'" + rule.describe() + "' in http " + proxy.describe() + " is not "
                    + "supported yet (in HTTP mode Sluice runs accept, reject, set-var and unset-var).");
            return;
        }
        if (rule.condition().isEmpty()) {
            return;
        }
        var condition = rule.condition().get();
        compiled.put(rule.location(), scope.condition(condition.negated(), condition.words()));
    }
}
