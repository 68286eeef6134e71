package dev.sluice.balancer.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.runtime.PeersPlan;
import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.TableSpec;
import dev.sluice.common.net.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The accepting side of a peer connection, driven byte by byte through an {@link EmbeddedChannel}:
 * the handshake's status codes, then table definitions, updates, acknowledgements and resyncs in
 * the bytes HAProxy 2.6 uses.
 */
class PeerSessionTest {

    private static final String HELLO = "HAProxyS 2.1\nA\nB 4242 1\n";
    /** haproxy 2.6's definition of "t" (type ip, server_id, gpc0, conn_cnt, http_req_cnt, http_req_rate(10s), server_key). */
    private static final String DEFINITION = "0a8210" + "01017404" + "04" + "f5d2ff00" + "f0c40d" + "0af0e203";
    /** Its update 3 of 127.0.0.1 and the incremental update that follows (id 4). */
    private static final String UPDATE = "0a8010" + "00000003" + "7f000001" + "00" + "00" + "01" + "01" + "010100" + "00";
    private static final String INCREMENTAL = "0a810d" + "7f000001" + "01" + "00" + "02" + "02" + "120200" + "0101";

    private final StickTable table = table();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    /** The node runs on the channel's loop, so pushes run with {@code runPendingTasks}. */
    private final PeerNode node = new PeerNode(new PeersPlan.Section("mesh", "A",
            new InetSocketAddress("127.0.0.1", 1), List.of(new PeersPlan.Remote("B", new InetSocketAddress("127.0.0.1",
            2)))), List.of(table), channel.eventLoop(), Transport.NIO);

    {
        channel.pipeline().addLast(HelloPhase.accepting(node), new PeerFrameDecoder(), new PeerSession(node));
        table.onChange(node::changedForTests);
    }

    private static StickTable table() {
        Map<StickData, Long> store = new EnumMap<>(StickData.class);
        store.put(StickData.SERVER_ID, 0L);
        store.put(StickData.GPC0, 0L);
        store.put(StickData.CONN_CNT, 0L);
        store.put(StickData.HTTP_REQ_CNT, 0L);
        store.put(StickData.HTTP_REQ_RATE, 10_000L);
        return new StickTable(new TableSpec("t", KeyType.IP, 0, 100, Duration.ofSeconds(30), false, store)
                .withPeers("mesh"));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void sendHex(String hex) {
        channel.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    /** Everything written so far, as hex. */
    private String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(ByteBufUtil.hexDump(buf));
            buf.release();
        }
        return out.toString();
    }

    private static String hex(String text) {
        return ByteBufUtil.hexDump(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aGoodHelloOpensTheSessionAndAsksForAResync() {
        send(HELLO);
        // "200\n", then a resync request (control class 0, type 0): we have learned nothing yet.
        assertEquals(hex("200\n") + "0000", written());
        assertNull(channel.pipeline().get(HelloPhase.class), "the handshake phase left the pipeline");
        assertTrue(channel.isActive());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HAProxyS 3.0\\nA\\nB 1 1\\n|502",
        "HAProxyS 2.9\\nA\\nB 1 1\\n|502",
        "HAProxyS 2.1\\nC\\nB 1 1\\n|503",
        "HAProxyS 2.1\\nA\\nZ 1 1\\n|504",
        "HAProxyX 2.1\\nA\\nB 1 1\\n|501",
        "HAProxyS two\\nA\\nB 1 1\\n|501",
        "HAProxyS 2.1\\nA\\nB\\n|501",
    })
    void aBadHelloIsAnsweredWithHaproxysStatusAndClosed(String hello, String status) {
        send(hello.replace("\\n", "\n"));
        assertEquals(hex(status + "\n"), written());
        assertFalse(channel.isActive());
    }

    @Test
    void anEndlessHelloIsCutAtItsLimit() {
        send("HAProxyS 2.1\n" + "x".repeat(PeerMessages.MAX_HELLO_BYTES + 1));
        assertEquals(hex("501\n"), written());
        assertFalse(channel.isActive());
    }

    @Test
    void updatesAreAppliedAndAcknowledged() {
        send(HELLO);
        written();
        // One read: the definition and two updates, the second one incremental.
        sendHex(DEFINITION + UPDATE + INCREMENTAL);
        StickEntry entry = table.lookup(IpAddress.parse("127.0.0.1"));
        assertEquals(1, entry.get(StickData.SERVER_ID));
        assertEquals(2, entry.get(StickData.CONN_CNT));
        assertEquals(2, entry.get(StickData.HTTP_REQ_CNT));
        // One acknowledgement of update 4 of the peer's table 1.
        assertEquals("0a8405" + "01" + "00000004", written());
    }

    @Test
    void aResyncRequestIsAnsweredWithEveryEntryThenFinished() {
        StickEntry entry = table.lookupOrCreate(IpAddress.parse("10.0.0.1"));
        entry.set(StickData.SERVER_ID, 7);
        send(HELLO);
        String opened = written();
        sendHex("0000");
        String taught = opened + written();
        // The session asked for a resync and taught the entry on opening: definition of table 1 "t",
        // then update 1; the resync request is answered "finished" at once, nothing being newer.
        assertTrue(taught.startsWith(hex("200\n") + "0000" + "0a82"), taught);
        assertTrue(taught.contains("00000001" + "0a000001" + "07"), taught);
        assertTrue(taught.endsWith("0001"), "a resync-finished ends the teach: " + taught);
        // Sent twice in all: taught on opening, and pushed as its change (made before) was queued.
        assertEquals(2, taught.split("0a000001", -1).length - 1, taught);
        // A local change is pushed incrementally (no id) once the node's loop runs it.
        entry.increment(StickData.GPC0);
        channel.runPendingTasks();
        String pushed = written();
        assertTrue(pushed.startsWith("0a81"), pushed);
    }

    @Test
    void aMessageLargerThanTheLimitEndsTheSession() {
        send(HELLO);
        written();
        sendHex("0a80" + "f0ff7f");
        assertEquals("0101", written());
        assertFalse(channel.isActive());
    }

    @Test
    void anUpdateBeforeAnyDefinitionIsAProtocolError() {
        send(HELLO);
        written();
        sendHex(UPDATE);
        assertEquals("0100", written());
        assertFalse(channel.isActive());
    }

    @Test
    void anUnknownTableIsIgnoredNotApplied() {
        send(HELLO);
        written();
        sendHex("0a8210" + "01017804" + "04" + "f5d2ff00" + "f0c40d" + "0af0e203" + UPDATE);
        assertNull(table.lookup(IpAddress.parse("127.0.0.1")));
        assertTrue(channel.isActive());
    }

    @Test
    void theDialingSideSendsItsHelloAndOpensOnStatus200() {
        EmbeddedChannel dialer = new EmbeddedChannel();
        PeerNode ours = new PeerNode(new PeersPlan.Section("mesh", "A", new InetSocketAddress("127.0.0.1", 1),
                List.of()), List.of(), dialer.eventLoop(), Transport.NIO);
        dialer.pipeline().addLast(HelloPhase.dialing(ours, "B"), new PeerFrameDecoder(), new PeerSession(ours));
        dialer.pipeline().fireChannelActive();
        ByteBuf hello = dialer.readOutbound();
        String text = hello.toString(StandardCharsets.US_ASCII);
        hello.release();
        assertEquals("HAProxyS 2.1\nB\nA " + ProcessHandle.current().pid() + " 1\n", text);
        dialer.writeInbound(Unpooled.copiedBuffer("200\n", StandardCharsets.US_ASCII));
        ByteBuf resync = dialer.readOutbound();
        assertEquals("0000", ByteBufUtil.hexDump(resync));
        resync.release();
        assertNull(dialer.pipeline().get(HelloPhase.class));
        assertTrue(dialer.isActive());
        dialer.finishAndReleaseAll();
    }

    @Test
    void theDialingSideClosesOnAnyOtherStatus() {
        EmbeddedChannel dialer = new EmbeddedChannel();
        PeerNode ours = new PeerNode(new PeersPlan.Section("mesh", "A", new InetSocketAddress("127.0.0.1", 1),
                List.of()), List.of(), dialer.eventLoop(), Transport.NIO);
        dialer.pipeline().addLast(HelloPhase.dialing(ours, "B"), new PeerFrameDecoder(), new PeerSession(ours));
        dialer.pipeline().fireChannelActive();
        dialer.writeInbound(Unpooled.copiedBuffer("503\n", StandardCharsets.US_ASCII));
        assertFalse(dialer.isActive());
        dialer.finishAndReleaseAll();
    }
}
