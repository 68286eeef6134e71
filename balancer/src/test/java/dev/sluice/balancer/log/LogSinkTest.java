package dev.sluice.balancer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSinkTest {
    @Test
    void udpTargetWithPortFacilityAndLevel() {
        LogSink sink = LogSink.parse("127.0.0.1:1514", List.of("local0", "notice"));
        assertEquals(new LogSink(LogSink.Kind.UDP, new InetSocketAddress("127.0.0.1", 1514), SinkFormat.RFC3164, 16, 5,
                LogSink.DEFAULT_LENGTH), sink);
    }

    @Test
    void udpTargetWithoutPortUsesSyslogsPort() {
        assertEquals(new InetSocketAddress("10.0.0.1", LogSink.SYSLOG_PORT),
                LogSink.parse("udp@10.0.0.1", List.of("local7")).address());
    }

    @Test
    void stdoutIsRawUnlessToldAndTakesLenAndFormat() {
        assertEquals(SinkFormat.RAW, LogSink.parse("stdout", List.of("local0")).format());
        LogSink sink = LogSink.parse("stderr", List.of("len", "2048", "format", "rfc5424", "daemon"));
        assertEquals(new LogSink(LogSink.Kind.STDERR, null, SinkFormat.RFC5424, 3, 7, 2048), sink);
    }

    @Test
    void pathsAreUnixDatagramSockets() {
        assertEquals(UnixDomainSocketAddress.of("/dev/log"), LogSink.parse("/dev/log", List.of("local0")).address());
        assertEquals(UnixDomainSocketAddress.of("/run/l.sock"),
                LogSink.parse("unix@/run/l.sock", List.of("local0")).address());
    }

    @Test
    void aLengthOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LogSink.parse("stdout", List.of("len", "10", "local0")));
    }
}
