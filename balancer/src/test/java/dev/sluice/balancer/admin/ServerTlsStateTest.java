package dev.sluice.balancer.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerConnections;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerPersistence;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.ServerResolution;
import dev.sluice.balancer.runtime.ServerTls;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code show servers state} tells a server spoken to in TLS by its {@code srv_use_ssl} column, as HAProxy does. */
class ServerTlsStateTest {

    @Test
    void srvUseSslIsOneForAnSslServer() {
        ServerTls ssl = new ServerTls(true, false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), ServerTls.TlsVersion.TLS1_2,
                ServerTls.TlsVersion.TLS1_3, true, ServerTls.Check.NONE);
        Backend backend = new Backend(new BackendPlan("b", Mode.HTTP, List.of(
                new ServerPlan("clear", new InetSocketAddress("127.0.0.1", 19601), 1, 0, false, false, 0),
                new ServerPlan("tls", new InetSocketAddress("127.0.0.1", 19602), 1, 0, false, false, 0,
                        ServerHealth.NONE, ServerPersistence.NONE, 0, ServerConnections.DEFAULTS,
                        ServerResolution.NONE, ssl)),
                Timeouts.NONE, 3, false, ForwardFor.DISABLED, Map.of()));
        ServerAdmin admin = new ServerAdmin(Map.of("b", backend));
        String[] lines = admin.execute(Arrays.asList("show servers state b".split(" "))).split("\n");
        int column = Arrays.asList(lines[1].substring(2).split(" ")).indexOf("srv_use_ssl");
        assertEquals("0", lines[2].split(" ")[column], lines[2]);
        assertEquals("1", lines[3].split(" ")[column], lines[3]);
    }
}
