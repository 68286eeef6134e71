package dev.sluice.balancer.config.check;

import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.model.BackendRef;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.config.model.LogFormat;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.TimeoutKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks that need the whole configuration: names and references between proxies, servers,
 * modes, and HAProxy's warnings about settings that will hurt. Runs after parsing, reports every
 * problem it finds.
 */
public final class SemanticCheck {

    private final Diagnostics diagnostics;

    public SemanticCheck(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    public void check(Global global, List<Proxy> proxies) {
        checkProxyNames(proxies);
        // A stats socket is a listener too, as in HAProxy: Debian's default haproxy.cfg has only that.
        boolean anyListener = !global.stats().sockets().isEmpty();
        for (Proxy proxy : proxies) {
            if (proxy.isBackend()) {
                checkServers(proxy);
            }
            if (proxy.isFrontend()) {
                anyListener |= !proxy.binds().isEmpty();
                checkFrontend(proxy, proxies);
            }
            if (proxy.mode() == Mode.TCP && proxy.isBackend()) {
                checkTcpServerProtocols(proxy);
            }
            if (proxy.mode() == Mode.TCP && proxy.options().forwardFor().isPresent()) {
                diagnostics.warning(proxy.location(), "'option forwardfor' ignored for " + proxy.describe()
                        + " as it requires HTTP mode");
            }
            if (proxy.mode() == Mode.TCP && proxy.isBackend() && proxy.options().tuning().abortOnClose()) {
                // Applied in HTTP mode; mode tcp relays half-closed clients, as HAProxy's default.
                diagnostics.alert(proxy.location(), "'option abortonclose' in mode tcp (" + proxy.describe()
                        + ") is not supported yet (a client's half-close does not drop its queued or connecting session)");
            }
            checkTimeouts(proxy);
            checkErrorFiles(global, proxy);
        }
        new TrackCheck(diagnostics).check(proxies); // track and agent-check references
        if (!anyListener) {
            diagnostics.alert(null, "no listener: no frontend or listen section has a 'bind' line, so there is "
                    + "nothing to start");
        }
    }

    /** A frontend's {@code http-request|http-response capture … id K} must name one of its capture slots. */
    private void checkCaptureIds(Proxy frontend) {
        for (var rule : frontend.rules().lines()) {
            List<String> words = rule.words();
            if (words.size() >= 4 && words.get(0).equals("capture") && words.get(2).equals("id")) {
                boolean request = rule.keyword().equals("http-request");
                int slots = request ? frontend.logging().requestCaptures().size()
                        : frontend.logging().responseCaptures().size();
                if (Long.parseLong(words.get(3)) >= slots) {
                    diagnostics.alert(rule.location(), "Proxy '" + frontend.name() + "': unable to find capture id '"
                            + words.get(3) + "' referenced by " + rule.keyword() + " capture rule.");
                }
            }
        }
    }

    /** As HAProxy 2.6: an HTTP mux ({@code proto h2}) cannot carry a mode tcp backend's connections. */
    private void checkTcpServerProtocols(Proxy proxy) {
        for (dev.sluice.balancer.config.model.Server server : proxy.servers()) { // mode tcp: no HTTP mux
            if (server.options().connections().protocol() == dev.sluice.balancer.runtime.ServerProtocol.H2) {
                diagnostics.alert(server.location(), "proxy '" + proxy.name() + "': 'proto h2' is not usable for "
                        + "server '" + server.name() + "' in mode tcp (it needs mode http)");
            }
        }
    }

    /** A frontend and a backend may share a name; two proxies with the same capability may not. */
    private void checkProxyNames(List<Proxy> proxies) {
        for (int i = 0; i < proxies.size(); i++) {
            Proxy later = proxies.get(i);
            for (int j = 0; j < i; j++) {
                Proxy earlier = proxies.get(j);
                boolean overlap = later.isFrontend() && earlier.isFrontend() || later.isBackend() && earlier.isBackend();
                if (overlap && later.name().equals(earlier.name())) {
                    diagnostics.alert(later.location(), later.describe() + " has the same name as "
                            + earlier.describe() + " declared at " + earlier.location());
                    break;
                }
            }
        }
    }

    private void checkServers(Proxy backend) {
        Map<String, Server> byName = new HashMap<>();
        Map<Integer, Server> byId = new HashMap<>();
        for (Server server : backend.servers()) {
            Server clash = byName.putIfAbsent(server.name(), server);
            if (clash != null) {
                diagnostics.alert(server.location(), backend.describe() + ": another server named '" + server.name()
                        + "' was already defined at " + clash.location() + "; use distinct names");
            }
            if (server.id() != 0) {
                Server sameId = byId.putIfAbsent(server.id(), server);
                if (sameId != null) {
                    diagnostics.alert(server.location(), backend.describe() + ": server '" + server.name()
                            + "' uses id " + server.id() + " already used by server '" + sameId.name() + "' at "
                            + sameId.location());
                }
            }
        }
    }

    private void checkFrontend(Proxy frontend, List<Proxy> proxies) {
        if (frontend.binds().isEmpty()) {
            diagnostics.warning(frontend.location(), frontend.describe() + " has no 'bind' directive; declare it "
                    + "as a backend if this was intended");
        }
        for (BackendRef rule : frontend.useBackends()) {
            if (rule.backend().indexOf('%') >= 0) {
                continue; // a dynamic name, resolved per request
            }
            checkReference(frontend, rule, "use_backend", proxies);
        }
        frontend.defaultBackend().ifPresent(ref -> checkReference(frontend, ref, "default_backend", proxies));
        checkCaptureIds(frontend);
        if (frontend.mode() == Mode.TCP && (frontend.options().logFormat() == LogFormat.HTTP
                || frontend.options().logFormat() == LogFormat.HTTP_CLF)) {
            diagnostics.warning(frontend.location(), "'option httplog' not usable with " + frontend.describe()
                    + " (needs 'mode http'); falling back to 'option tcplog'");
        }
    }

    private void checkReference(Proxy frontend, BackendRef reference, String keyword, List<Proxy> proxies) {
        Proxy backend = proxies.stream().filter(p -> p.isBackend() && p.name().equals(reference.backend()))
                .findFirst().orElse(null);
        if (backend == null) {
            diagnostics.alert(reference.location(), frontend.describe() + ": unable to find the backend '"
                    + reference.backend() + "' named by " + keyword);
        } else {
            checkModes(frontend, backend, reference, keyword);
        }
    }

    private void checkModes(Proxy frontend, Proxy backend, BackendRef reference, String keyword) {
        if (frontend.mode() == backend.mode()) {
            return;
        }
        if (frontend.mode() == Mode.HTTP) {
            diagnostics.alert(reference.location(), "http " + frontend.describe() + " (" + frontend.location()
                    + ") tries to use incompatible tcp " + backend.describe() + " (" + backend.location()
                    + ") with " + keyword + " (see 'mode')");
        } else {
            diagnostics.alert(reference.location(), "tcp " + frontend.describe() + " using http "
                    + backend.describe() + " with " + keyword + " is not supported yet (HAProxy would upgrade "
                    + "the connection to HTTP)");
        }
    }

    /** As HAProxy: a timeout of 0 is no timeout, so it counts as missing. */
    private void checkTimeouts(Proxy proxy) {
        List<String> missing = new ArrayList<>();
        if (proxy.isFrontend() && proxy.timeouts().orZero(TimeoutKind.CLIENT).isZero()) {
            missing.add("'timeout client'");
        }
        // As HAProxy, a backend without servers is not warned about: it never connects anywhere.
        if (proxy.isBackend() && !proxy.servers().isEmpty()) {
            for (TimeoutKind kind : List.of(TimeoutKind.CONNECT, TimeoutKind.SERVER)) {
                if (proxy.timeouts().orZero(kind).isZero()) {
                    missing.add("'timeout " + kind.keyword() + "'");
                }
            }
        }
        if (!missing.isEmpty()) {
            diagnostics.warning(proxy.location(), "missing timeouts for " + proxy.describe() + ": set "
                    + String.join(", ", missing) + " (without them a stuck peer holds a connection forever)");
        }
    }

    private void checkErrorFiles(Global global, Proxy proxy) {
        for (ErrorFile file : proxy.errorFiles().values()) {
            int room = global.bufsize() - global.maxrewrite();
            if (file.response().length > room) {
                diagnostics.alert(file.location(), "errorfile '" + file.path() + "' is " + file.response().length
                        + " bytes, more than the " + room + " bytes a buffer holds (tune.bufsize - tune.maxrewrite)");
            }
        }
    }
}
