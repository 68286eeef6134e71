package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclException;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.AclLine;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.StatsSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles the conditions of {@code stats admin} and {@code http-request use-service} lines with the
 * ACLs their section defines above them. Errors in the {@code acl} lines themselves are reported by
 * {@link Conditions}; here only the conditions' own errors are.
 */
public final class StatsConditions {
    private final Diagnostics diagnostics;
    private final AclCompiler compiler;

    public StatsConditions(Diagnostics diagnostics, Path baseDirectory, List<Proxy> proxies) {
        this.diagnostics = diagnostics;
        this.compiler = new AclCompiler(baseDirectory, new ProxyCatalog() {
            @Override
            public boolean hasBackend(String name) {
                return proxies.stream().anyMatch(p -> p.isBackend() && p.name().equals(name));
            }

            @Override
            public boolean hasFrontend(String name) {
                return proxies.stream().anyMatch(p -> p.isFrontend() && p.name().equals(name));
            }

            @Override
            public boolean hasServer(String backend, String server) {
                return proxies.stream().anyMatch(p -> p.isBackend() && p.name().equals(backend)
                        && p.servers().stream().anyMatch(s -> s.name().equals(server)));
            }
        });
    }

    /** The compiled conditions by the location of their line. */
    public Map<SourceLocation, Condition> compile(List<Proxy> proxies) {
        Map<SourceLocation, Condition> compiled = new HashMap<>();
        for (Proxy proxy : proxies) {
            StatsSettings stats = proxy.stats();
            boolean any = stats.admin().isPresent()
                    || stats.services().stream().anyMatch(s -> s.condition().isPresent());
            if (!any) {
                continue;
            }
            AclScope scope = compiler.scope(proxy.name());
            for (AclLine acl : proxy.acls()) {
                try {
                    scope.define(acl.words());
                } catch (AclException e) {
                    // Reported at its own line by Conditions.
                }
            }
            stats.admin().ifPresent(c -> compileOne(scope, c, "'stats admin'", compiled));
            for (StatsSettings.ServiceLine line : stats.services()) {
                line.condition().ifPresent(c -> compileOne(scope, c, "'http-request use-service'", compiled));
            }
        }
        return compiled;
    }

    private void compileOne(AclScope scope, dev.sluice.balancer.config.model.Condition condition, String what,
                            Map<SourceLocation, Condition> compiled) {
        try {
            compiled.put(condition.location(), scope.condition(condition.negated(), condition.words()));
        } catch (AclException e) {
            diagnostics.alert(condition.location(), what + ": error detected while parsing condition : "
                    + e.getMessage());
        }
    }
}
