package dev.sluice.balancer.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.GlobalPlan;
import dev.sluice.balancer.runtime.StatsPlan.Level;
import dev.sluice.balancer.stats.StatsRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime-API dispatcher driven through an EmbeddedChannel. */
class CliSessionTest {
    private static RuntimeApi api() {
        RuntimeApi api = new RuntimeApi(new StatsRegistry(GlobalPlan.DEFAULTS, List.of(), () -> 0, 0, 0));
        // What another part does: one line per command, the level checked by the dispatcher.
        api.commands().register("set frob", Level.ADMIN, "set frob <x>", "echo a word", (session, args) -> "set "
                + args.get(2) + "\n");
        return api;
    }

    private static EmbeddedChannel channel(RuntimeApi api, Level level) {
        return new EmbeddedChannel(new LineBasedFrameDecoder(CliServer.MAX_LINE_BYTES), api.newSession(level));
    }

    private static String send(EmbeddedChannel channel, String line) {
        channel.writeInbound(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void oneShotRunsEveryCommandOfTheLineThenCloses() {
        EmbeddedChannel channel = channel(api(), Level.ADMIN);
        assertEquals("admin\n\nset a/b\n\nNo such backend.\n\n",
                send(channel, "show cli level; set frob a/b; set server a/b state ready\n"));
        assertFalse(channel.isOpen());
    }

    @Test
    void levelIsCheckedBeforeTheHandlerRuns() {
        EmbeddedChannel channel = channel(api(), Level.OPERATOR);
        assertEquals("Permission denied\n\n", send(channel, "set server a/b state drain\n"));
        EmbeddedChannel lowered = channel(api(), Level.ADMIN);
        assertEquals("\nPermission denied\n\n", send(lowered, "user;set server a/b weight 0\n"));
    }

    @Test
    void helpListsOnlyWhatTheLevelAllows() {
        String admin = send(channel(api(), Level.ADMIN), "help\n");
        assertTrue(admin.contains("  set server <bk>/<srv> [opts]            : change a server's state"), admin);
        String user = send(channel(api(), Level.USER), "help\n");
        assertFalse(user.contains("set server"), user);
        assertTrue(user.endsWith("  quit                                    : disconnect\n\n"), user);
    }

    @Test
    void unknownCommandListsTheClosestOnes() {
        String reply = send(channel(api(), Level.ADMIN), "set frab x\n");
        assertTrue(reply.startsWith("Unknown command, but maybe one of the following ones is a better match:\n"),
                reply);
        assertTrue(reply.contains("  set frob"), reply);
    }

    @Test
    void promptModeStaysOpenAndEscapedSemicolonIsLiteral() {
        EmbeddedChannel channel = channel(api(), Level.ADMIN);
        assertEquals("\n> ", send(channel, "prompt\n"));
        assertEquals("set a;b\n\n> ", send(channel, "set frob a\\;b\n"));
        assertTrue(channel.isOpen());
        assertEquals("", send(channel, "quit\n"));
        assertFalse(channel.isOpen());
    }

    @Test
    void registeringTheSameWordsTwiceIsAProgrammingError() {
        RuntimeApi api = api();
        assertThrows(IllegalStateException.class, () -> api.commands().register("set frob", Level.ADMIN, "x", "y",
                (s, a) -> ""));
    }
}
