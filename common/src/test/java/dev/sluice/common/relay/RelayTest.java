package dev.sluice.common.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelayTest {
    private final ReadCounter clientReads = new ReadCounter();
    private final ReadCounter backendReads = new ReadCounter();
    private final List<RelayStats> closed = new ArrayList<>();
    private EmbeddedChannel client;
    private EmbeddedChannel backend;
    private RelayStats stats;

    @BeforeEach
    void join() {
        client = new EmbeddedChannel(clientReads);
        backend = new EmbeddedChannel(backendReads);
        clientReads.count = 0;
        backendReads.count = 0;
        stats = Relay.join(client, backend, Duration.ofSeconds(10), closed::add);
    }

    @AfterEach
    void release() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
    }

    @Test
    void startsOneReadOnEachSideWithAutoReadOff() {
        assertFalse(client.config().isAutoRead());
        assertFalse(backend.config().isAutoRead());
        assertEquals(1, clientReads.count);
        assertEquals(1, backendReads.count);
    }

    @Test
    void passesTheSameBufferBothWaysAndReadsAgain() {
        ByteBuf request = buffer("GET / HTTP/1.1\r\n\r\n");
        client.writeInbound(request);
        assertSame(request, backend.readOutbound(), "the buffer must pass through, not be copied");
        assertEquals(2, clientReads.count, "the client is read again once its bytes are flushed");
        request.release();

        ByteBuf response = buffer("HTTP/1.1 200 OK\r\n\r\n");
        backend.writeInbound(response);
        assertSame(response, client.readOutbound());
        response.release();
        assertEquals(18, stats.clientToBackend());
        assertEquals(19, stats.backendToClient());
    }

    @Test
    void readsWaitWhileThePeerIsNotWritable() {
        backend.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(backend.isWritable());
        client.writeInbound(buffer("one"));
        assertEquals(1, clientReads.count, "no read while the backend cannot take more");
        ((ByteBuf) backend.readOutbound()).release();

        backend.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        backend.runPendingTasks();
        assertEquals(2, clientReads.count, "the deferred read happens once the backend drains");
    }

    @Test
    void clientEndOfInputShutsTheBackendOutput() {
        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        // An EmbeddedChannel cannot half-close, so the relay closes it; sockets are tested in RelayIT.
        assertFalse(backend.isOpen());
    }

    @Test
    void backendEndClosesBothWhenAskedHitchsWay() {
        EmbeddedChannel tlsClient = new EmbeddedChannel();
        EmbeddedChannel server = new EmbeddedChannel();
        List<RelayStats> ended = new ArrayList<>();
        Relay.join(tlsClient, server, Duration.ofSeconds(10), ended::add, true);
        server.writeInbound(buffer("last answer"));
        server.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(tlsClient.isOpen(), "the client is closed, not half-closed");
        assertFalse(server.isOpen());
        ByteBuf delivered = tlsClient.readOutbound();
        assertEquals("last answer", delivered.toString(StandardCharsets.US_ASCII), "what the backend sent arrives first");
        delivered.release();
        assertEquals(1, ended.size());
        assertEquals(RelayEnd.BACKEND_CLOSED, ended.getFirst().end());
    }

    @Test
    void clientCloseFlushesAndClosesTheBackendAndReportsOnce() {
        client.writeInbound(buffer("last words"));
        client.close();
        assertFalse(backend.isOpen());
        ByteBuf delivered = backend.readOutbound();
        assertEquals("last words", delivered.toString(StandardCharsets.US_ASCII));
        delivered.release();
        assertEquals(1, closed.size());
        assertEquals(RelayEnd.CLIENT_CLOSED, closed.getFirst().end());
    }

    @Test
    void bytesReadAfterThePeerClosedAreReleased() {
        backend.unsafe().closeForcibly();
        ByteBuf late = buffer("late");
        client.pipeline().fireChannelRead(late);
        assertEquals(0, late.refCnt());
    }

    @Test
    void idleTimeoutClosesBoth() {
        client.advanceTimeBy(9, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertTrue(client.isOpen());
        assertNull(stats.end());
        client.advanceTimeBy(2, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertFalse(client.isOpen());
        assertFalse(backend.isOpen());
        assertEquals(RelayEnd.IDLE_TIMEOUT, stats.end());
    }

    @Test
    void failureOnOneSideClosesBoth() {
        backend.pipeline().fireExceptionCaught(new java.io.IOException("connection reset"));
        assertFalse(client.isOpen());
        assertFalse(backend.isOpen());
        assertEquals(RelayEnd.ERROR, stats.end());
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** Counts read() calls going out of a channel, i.e. the relay's demand. */
    private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void read(ChannelHandlerContext ctx) {
            count++;
            ctx.read();
        }
    }
}
