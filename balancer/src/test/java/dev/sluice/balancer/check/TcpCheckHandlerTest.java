package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tcp-check handler on an EmbeddedChannel: writes the sends, reports one verdict, closes, leaks nothing. */
class TcpCheckHandlerTest {
    private final List<HttpProbeHandler.Verdict> verdicts = new ArrayList<>();

    private String written(EmbeddedChannel channel) {
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    @Test
    void redisPingPong() {
        EmbeddedChannel channel = new EmbeddedChannel(new TcpCheckHandler(ProtocolChecks.redis(), verdicts::add));
        assertEquals("*1\r\n$4\r\nPING\r\n", written(channel));
        assertTrue(verdicts.isEmpty());
        channel.writeInbound(Unpooled.copiedBuffer("+PONG\r\n", StandardCharsets.ISO_8859_1));
        assertEquals(List.of(new HttpProbeHandler.Verdict(CheckStatus.L7OK, 0, "Redis server is ok")), verdicts);
        assertFalse(channel.isOpen());
        assertNull(channel.readInbound());
    }

    @Test
    void closeBeforeTheAnswerIsJudgedOnce() {
        EmbeddedChannel channel = new EmbeddedChannel(new TcpCheckHandler(ProtocolChecks.redis(), verdicts::add));
        written(channel);
        channel.writeInbound(Unpooled.copiedBuffer("-ERR no\r\n", StandardCharsets.ISO_8859_1));
        channel.close();
        assertEquals(List.of(new HttpProbeHandler.Verdict(CheckStatus.L7STS, 0, "-ERR no")), verdicts);
    }

    @Test
    void timeoutWhileWaitingNamesTheStep() {
        TcpCheck check = new TcpCheck(TcpCheck.Kind.TCP, List.of(new TcpCheckRule.Expect(1, "",
                TcpCheckRule.Match.STRING, false, "y", new byte[] {'y'}, null, -1, null, null, null, null, null,
                null, 0)));
        TcpCheckHandler handler = new TcpCheckHandler(check, verdicts::add);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        assertEquals(new HttpProbeHandler.Verdict(CheckStatus.L7TOUT, 0, " at step 1 of tcp-check (expect string 'y')"),
                handler.timedOut());
        channel.finishAndReleaseAll();
    }
}
