package dev.sluice.balancer.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.ServerPlan;
import dev.sluice.balancer.runtime.Timeouts;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code set server B/S addr IP [port P]}, answered as Debian's haproxy 2.6.12 answers (texts captured from
 * its stats socket), and the server's address after each command.
 */
class AddressCommandTest {
    private final Backend b = new Backend(new BackendPlan("b", Mode.HTTP, List.of(
            ServerPlan.of("s2", new InetSocketAddress("127.0.0.5", 81))), Timeouts.NONE, 3, false, ForwardFor.DISABLED,
            Map.of()));
    private final ServerAdmin admin = new ServerAdmin(Map.of("b", b));

    private String run(String line) {
        return admin.execute(Arrays.asList(line.split(" ")));
    }

    private InetSocketAddress address() {
        return b.server("s2").address();
    }

    @Test
    void changesAsHaproxyAnswers() {
        assertEquals("IP changed from '127.0.0.5' to '127.0.0.6' by 'stats socket command'\n",
                run("set server b/s2 addr 127.0.0.6"));
        assertEquals(new InetSocketAddress("127.0.0.6", 81), address());
        assertEquals("no need to change the addr by 'stats socket command'\n", run("set server b/s2 addr 127.0.0.6"));
        assertEquals("IP changed from '127.0.0.6' to '127.0.0.7', port changed from '81' to '82' by 'stats socket "
                + "command'\n", run("set server b/s2 addr 127.0.0.7 port 82"));
        assertEquals("no need to change the addr, port changed from '82' to '83' by 'stats socket command'\n",
                run("set server b/s2 addr 127.0.0.7 port 83"));
        assertEquals("IP changed from '127.0.0.7' to '::1' by 'stats socket command'\n",
                run("set server b/s2 addr ::1"));
        assertEquals(new InetSocketAddress("::1", 83), address());
    }

    @Test
    void refusalsLeaveTheAddress() {
        assertEquals("Invalid addr 'bogus' by 'stats socket command'\n", run("set server b/s2 addr bogus"));
        assertEquals("set server <b>/<s> addr requires an address and optionally a port.\n",
                run("set server b/s2 addr"));
        assertEquals("no need to change the addr, problem converting port 'x' to an int by 'stats socket command'\n",
                run("set server b/s2 addr 127.0.0.7 port x"));
        assertEquals(new InetSocketAddress("127.0.0.5", 81), address());
    }

    @Test
    void aServerWithoutAddressIsRefused() {
        ServerPlan plain = ServerPlan.of("s4", new InetSocketAddress("0.0.0.0", 83));
        Backend unresolved = new Backend(new BackendPlan("u", Mode.HTTP, List.of(new ServerPlan(plain.name(),
                plain.address(), 1, 0, false, false, 0, plain.health(), plain.persistence(), 0, plain.connections(),
                new dev.sluice.balancer.runtime.ServerResolution("x.invalid", java.util.Optional.empty(),
                        java.util.Optional.empty(), dev.sluice.balancer.runtime.ServerResolution.Family.IPV6,
                        dev.sluice.balancer.runtime.ServerResolution.DupIp.DEFAULT, false, List.of(),
                        List.of(new dev.sluice.balancer.runtime.ServerResolution.InitAddr.None()), true))),
                Timeouts.NONE, 3, false, ForwardFor.DISABLED, Map.of()));
        ServerAdmin admin = new ServerAdmin(Map.of("u", unresolved));
        assertEquals("Update for the current server address family is only supported through configuration file by "
                + "'stats socket command'\n", admin.execute(Arrays.asList("set server u/s4 addr 127.0.0.8".split(" "))));
        assertEquals("MAINT (resolution)", unresolved.server("s4").state().statsStatus());
    }
}
