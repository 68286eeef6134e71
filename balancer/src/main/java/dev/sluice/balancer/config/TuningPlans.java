package dev.sluice.balancer.config;

import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.IpNetwork;
import dev.sluice.balancer.runtime.Monitor;
import dev.sluice.balancer.runtime.ProxyTuning;
import java.util.ArrayList;
import java.util.List;

/** The {@link ProxyTuning} of a proxy: its model's settings with the {@code monitor fail} conditions compiled. */
final class TuningPlans {

    private TuningPlans() {
    }

    static ProxyTuning of(Proxy proxy, Config config) {
        var tuning = proxy.options().tuning();
        ForwardFor originalTo = tuning.originalTo()
                .map(o -> new ForwardFor(true, o.except().map(n -> new IpNetwork(n.address(), n.prefixLength()))
                        .orElse(null), o.header(), false))
                .orElse(ProxyTuning.NONE.originalTo());
        Monitor monitor = Monitor.NONE;
        if (proxy.isFrontend() && tuning.monitorUri().isPresent()) {
            List<Condition> fail = new ArrayList<>();
            for (var line : tuning.monitorFail()) {
                Condition compiled = config.conditions().get(line.location());
                if (compiled == null) {
                    throw new IllegalStateException("monitor fail at " + line.location() + ": condition not compiled");
                }
                fail.add(compiled);
            }
            monitor = new Monitor(tuning.monitorUri().get(), fail);
        }
        return new ProxyTuning(originalTo, monitor, tuning.clientKeepAlive(), tuning.serverKeepAlive(),
                tuning.bufferRequest(), tuning.pretendKeepAlive(), tuning.ignoreProbes(),
                tuning.compression().withLevel(config.global().compressionLevel()), tuning.abortOnClose(),
                tuning.preferLastServer(), tuning.idleCloseOnResponse());
    }
}
