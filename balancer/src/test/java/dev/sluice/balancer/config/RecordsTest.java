package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.Endpoint;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.config.model.ServerAddress;
import dev.sluice.balancer.config.model.ServerOptions;
import dev.sluice.balancer.config.model.TimeoutKind;
import dev.sluice.balancer.config.model.Timeouts;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The model's records refuse values the parser would never produce, so a bug cannot build a wrong model. */
class RecordsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void locationsAreOneBased() {
        assertThrows(IllegalArgumentException.class, () -> new SourceLocation("t.cfg", 0));
        assertEquals("t.cfg:3", new SourceLocation("t.cfg", 3).toString());
    }

    @Test
    void endpointsAndAddresses() {
        assertThrows(IllegalArgumentException.class, () -> new Endpoint.Inet(LOOPBACK, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Endpoint.Inet(LOOPBACK, 90, 80));
        assertThrows(IllegalArgumentException.class, () -> new Endpoint.Inet(LOOPBACK, 80, 65_536));
        assertThrows(IllegalArgumentException.class, () -> new ServerAddress(LOOPBACK, -1));
        assertThrows(IllegalArgumentException.class, () -> new ServerAddress(LOOPBACK, 65_536));
        assertEquals(0, new ServerAddress(LOOPBACK, 0).port(), "port 0: an SRV record gives the port");
        SourceLocation here = new SourceLocation("t.cfg", 1);
        assertThrows(IllegalArgumentException.class,
                () -> new Bind(here, List.of(), false, 0, Optional.empty(), Optional.empty()));
    }

    @Test
    void serverOptionsStayInHaproxyRanges() {
        ServerOptions d = ServerOptions.DEFAULTS;
        assertThrows(IllegalArgumentException.class, () -> new ServerOptions(257, 0, 0, 0, false, false, false,
                d.inter(), d.fastinter(), d.downinter(), d.rise(), d.fall(), 0, d.checkAddr(), d.cookie(),
                d.slowstart()));
        assertThrows(IllegalArgumentException.class, () -> new ServerOptions(1, 0, 0, 0, false, false, false,
                d.inter(), d.fastinter(), d.downinter(), 0, d.fall(), 0, d.checkAddr(), d.cookie(), d.slowstart()));
    }

    @Test
    void globalKeepsRoomForRewrites() {
        assertThrows(IllegalArgumentException.class, () -> new Global(0, 0, false, List.of(), 1024, 1024));
        assertThrows(IllegalArgumentException.class, () -> new Global(0, 65, false, List.of(), 16_384, 1024));
    }

    @Test
    void timeoutsAreCopiedAndNonNegative() {
        assertThrows(IllegalArgumentException.class,
                () -> new Timeouts(Map.of(TimeoutKind.CLIENT, Duration.ofMillis(-1))));
        Timeouts one = Timeouts.NONE.with(TimeoutKind.SERVER, Duration.ofSeconds(1));
        assertEquals(Optional.empty(), Timeouts.NONE.get(TimeoutKind.SERVER));
        assertEquals(Duration.ofSeconds(1), one.orZero(TimeoutKind.SERVER));
        assertEquals(Duration.ZERO, one.orZero(TimeoutKind.CLIENT));
    }
}
