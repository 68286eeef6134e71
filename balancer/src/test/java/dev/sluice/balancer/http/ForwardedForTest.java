package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.IpNetwork;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedForTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 5000);
    private static final InetSocketAddress CLIENT6 = new InetSocketAddress("2001:db8::1", 5000);

    private static List<String> apply(ForwardFor front, ForwardFor back, HttpHeaders headers, InetSocketAddress client) {
        new ForwardedFor(front, back).apply(headers, client);
        return headers.getAll("X-Forwarded-For");
    }

    @Test
    void appendsAfterExistingLines() {
        assertEquals(List.of("10.0.0.1", "192.0.2.10"),
                apply(ForwardFor.ENABLED, ForwardFor.DISABLED, new DefaultHttpHeaders().add("X-Forwarded-For", "10.0.0.1"), CLIENT));
    }

    @Test
    void backendEnablingIsEnough() {
        assertEquals(List.of("192.0.2.10"), apply(ForwardFor.DISABLED, ForwardFor.ENABLED, new DefaultHttpHeaders(), CLIENT));
    }

    @Test
    void ipv6ClientIsWrittenAsAnAddress() {
        assertEquals(1, apply(ForwardFor.ENABLED, ForwardFor.DISABLED, new DefaultHttpHeaders(), CLIENT6).size());
    }

    @Test
    void exceptOfEitherSideSkips() {
        ForwardFor except = new ForwardFor(true, IpNetwork.parse("192.0.2.0/24"), ForwardFor.DEFAULT_HEADER, false);
        assertEquals(List.of(), apply(except, ForwardFor.ENABLED, new DefaultHttpHeaders(), CLIENT));
        assertEquals(List.of(), apply(ForwardFor.ENABLED, except, new DefaultHttpHeaders(), CLIENT));
        assertEquals(List.of("2001:db8::1"), apply(except, ForwardFor.DISABLED, new DefaultHttpHeaders(), CLIENT6));
    }

    @Test
    void ifNoneOnlyWhenAbsent() {
        ForwardFor ifNone = new ForwardFor(true, null, "X-Real", true);
        HttpHeaders present = new DefaultHttpHeaders().add("X-Real", "1.1.1.1");
        new ForwardedFor(ifNone, ForwardFor.DISABLED).apply(present, CLIENT);
        assertEquals(List.of("1.1.1.1"), present.getAll("X-Real"));
        HttpHeaders absent = new DefaultHttpHeaders();
        new ForwardedFor(ifNone, ForwardFor.DISABLED).apply(absent, CLIENT);
        assertEquals(List.of("192.0.2.10"), absent.getAll("X-Real"));
    }

    @Test
    void unixClientWithoutProxyGetsNothing() {
        assertEquals(List.of(), apply(ForwardFor.ENABLED, ForwardFor.DISABLED, new DefaultHttpHeaders(), null));
    }
}
