package dev.sluice.balancer.support;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.H2Limits;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.GlobalPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders of runtime plans for tests: one frontend on 127.0.0.1:0 and one backend. */
public final class Plans {
    public static final Timeouts TIMEOUTS = Timeouts.NONE
            .withConnect(Duration.ofSeconds(2)).withClient(Duration.ofSeconds(10)).withServer(Duration.ofSeconds(10));

    private Mode mode = Mode.HTTP;
    private final List<ServerPlan> servers = new ArrayList<>();
    private ForwardFor frontForward = ForwardFor.ENABLED;
    private ForwardFor backForward = ForwardFor.DISABLED;
    private Timeouts frontTimeouts = TIMEOUTS;
    private Timeouts backTimeouts = TIMEOUTS;
    private boolean acceptProxy;
    private int globalMaxconn;
    private int frontMaxconn;
    private int retries = 1;
    private Map<Integer, byte[]> errorfiles = Map.of();
    private int nbthread = 2;
    private boolean redispatch;
    private boolean h2c;
    private H2Limits h2Limits = H2Limits.DEFAULTS;
    private dev.sluice.balancer.runtime.HttpReuse reuse = dev.sluice.balancer.runtime.HttpReuse.SAFE;

    public static Plans http() {
        return new Plans();
    }

    public static Plans tcp() {
        Plans plans = new Plans();
        plans.mode = Mode.TCP;
        plans.frontForward = ForwardFor.DISABLED;
        return plans;
    }

    public Plans server(String name, InetSocketAddress address) {
        servers.add(ServerPlan.of(name, address));
        return this;
    }

    public Plans server(ServerPlan server) {
        servers.add(server);
        return this;
    }

    public Plans forwardFor(ForwardFor front, ForwardFor back) {
        frontForward = front;
        backForward = back;
        return this;
    }

    public Plans frontTimeouts(Timeouts timeouts) {
        frontTimeouts = timeouts;
        return this;
    }

    public Plans backTimeouts(Timeouts timeouts) {
        backTimeouts = timeouts;
        return this;
    }

    public Plans acceptProxy() {
        acceptProxy = true;
        return this;
    }

    public Plans maxconn(int global, int frontend) {
        globalMaxconn = global;
        frontMaxconn = frontend;
        return this;
    }

    public Plans retries(int value) {
        retries = value;
        return this;
    }

    public Plans errorfiles(Map<Integer, byte[]> files) {
        errorfiles = files;
        return this;
    }

    public Plans redispatch() {
        redispatch = true;
        return this;
    }

    public Plans nbthread(int value) {
        nbthread = value;
        return this;
    }

    /** The bind speaks HTTP/2 with prior knowledge ({@code proto h2}). */
    public Plans h2c() {
        h2c = true;
        return this;
    }

    public Plans h2Limits(H2Limits limits) {
        h2Limits = limits;
        return this;
    }

    /** {@code http-reuse} of the backend (HAProxy's default: safe). */
    public Plans reuse(dev.sluice.balancer.runtime.HttpReuse mode) {
        reuse = mode;
        return this;
    }

    public RuntimePlan build() {
        BindPlan bind = new BindPlan(new InetSocketAddress("127.0.0.1", 0), acceptProxy, 0, null, h2c);
        FrontendPlan frontend = new FrontendPlan("fe", mode, List.of(bind), frontMaxconn, "be", List.of(),
                frontForward, frontTimeouts, errorfiles);
        BackendPlan backend = new BackendPlan("be", mode, servers, backTimeouts, retries, redispatch, backForward, Map.of())
                .withReuse(reuse);
        return new RuntimePlan(new GlobalPlan(globalMaxconn, nbthread, GlobalPlan.DEFAULT_BUFSIZE, h2Limits),
                List.of(frontend), List.of(backend));
    }
}
