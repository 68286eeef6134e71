package dev.sluice.balancer.config.check;

import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.runtime.HealthSources;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code track} and {@code agent-check} references, refused with HAProxy 2.6's words: a missing proxy or
 * server, a tracked server without a check or agent, checks and tracking on one server, a chain that loops,
 * and an agent without a port.
 */
final class TrackCheck {
    private final Diagnostics diagnostics;

    TrackCheck(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void check(List<Proxy> proxies) {
        for (Proxy proxy : proxies) {
            if (!proxy.isBackend()) {
                continue;
            }
            for (Server server : proxy.servers()) {
                HealthSources sources = server.options().sources();
                if (sources.agent().enabled() && sources.agent().port() == 0) {
                    diagnostics.alert(server.location(), "'server " + proxy.name() + "/" + server.name() + "' : server "
                            + server.name() + " does not have agent port. Agent check has been disabled.");
                }
                if (sources.track() != null) {
                    track(proxies, proxy, server);
                }
            }
        }
    }

    private void track(List<Proxy> proxies, Proxy proxy, Server server) {
        String who = "'server " + proxy.name() + "/" + server.name() + "' : ";
        HealthSources.Track track = server.options().sources().track();
        if (server.options().check()) {
            diagnostics.alert(server.location(), who + "unable to enable checks and tracking at the same time!");
            return;
        }
        Optional<Proxy> owner = track.backend() == null ? Optional.of(proxy) : backend(proxies, track.backend());
        if (owner.isEmpty()) {
            diagnostics.alert(server.location(), who + "unable to find required proxy '" + track.backend()
                    + "' for tracking.");
            return;
        }
        Optional<Server> target = server(owner.get(), track.server());
        if (target.isEmpty()) {
            diagnostics.alert(server.location(), who + "unable to find required server '" + track.server()
                    + "' for tracking.");
            return;
        }
        // Walk the chain: it must end at a server with a check or an agent, without coming back.
        Set<String> seen = new HashSet<>();
        seen.add(proxy.name() + "/" + server.name());
        Proxy at = owner.get();
        Server next = target.get();
        while (true) {
            String name = at.name() + "/" + next.name();
            if (!seen.add(name)) {
                diagnostics.alert(server.location(), who + "unable to track " + track.describe(proxy.name())
                        + " as it belongs to a tracking chain looping back to " + proxy.name() + "/" + server.name()
                        + ".");
                return;
            }
            HealthSources.Track further = next.options().sources().track();
            if (further == null) {
                break;
            }
            Proxy nextOwner = further.backend() == null ? at : backend(proxies, further.backend()).orElse(null);
            Server nextServer = nextOwner == null ? null : server(nextOwner, further.server()).orElse(null);
            if (nextServer == null) {
                return; // reported on that server's own line
            }
            at = nextOwner;
            next = nextServer;
        }
        if (!next.options().check() && !next.options().sources().agent().enabled()) {
            diagnostics.alert(server.location(), who + "unable to use " + at.name() + "/" + next.name()
                    + " for tracking as it does not have any check nor agent enabled.");
        }
    }

    private static Optional<Proxy> backend(List<Proxy> proxies, String name) {
        return proxies.stream().filter(p -> p.isBackend() && p.name().equals(name)).findFirst();
    }

    private static Optional<Server> server(Proxy proxy, String name) {
        return proxy.servers().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
