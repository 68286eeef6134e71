package dev.sluice.balancer.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.stick.TcpResponseRules;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tcp-response content} on an EmbeddedChannel standing for the server connection: waiting
 * for the server's bytes, the delay's end, reject, close, the server's FIN, and variables.
 */
class ResponseInspectionTest {
    private static final Duration DELAY = Duration.ofSeconds(5);

    private final StringBuilder relayed = new StringBuilder();
    private final List<Object> events = new ArrayList<>();
    private int rejected;
    private EmbeddedChannel client;
    private ConnectionFacts facts;

    @AfterEach
    void close() {
        if (client != null) {
            client.finishAndReleaseAll();
        }
    }

    /** Rules as "ACTION [if|unless] COND…", or "set-var NAME EXPR". */
    private static TcpResponseRules rules(Duration delay, String... lines) {
        AclCompiler compiler = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
        AclScope scope = compiler.scope("be");
        List<TcpResponseRules.Rule> rules = new ArrayList<>();
        for (String line : lines) {
            List<String> words = Arrays.asList(line.split(" "));
            String where = "test:" + (rules.size() + 1);
            if (words.getFirst().equals("set-var")) {
                rules.add(new TcpResponseRules.Rule(TcpResponseRules.Action.SET_VAR,
                        compiler.sampleExpression(words.get(2), "be"), words.get(1), null, where));
                continue;
            }
            TcpResponseRules.Action action = TcpResponseRules.Action.valueOf(words.getFirst()
                    .toUpperCase(java.util.Locale.ROOT));
            rules.add(new TcpResponseRules.Rule(action, null, null,
                    words.size() > 1 ? scope.condition(words.subList(1, words.size())) : null, where));
        }
        return new TcpResponseRules(rules, delay);
    }

    private EmbeddedChannel server(TcpResponseRules rules) {
        client = new EmbeddedChannel();
        facts = new ConnectionFacts(client, null);
        EmbeddedChannel server = new EmbeddedChannel();
        // Only advanceTimeBy moves the clock: a slow machine must not expire the delay early.
        server.freezeTime();
        server.pipeline().addLast("relay", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                relayed.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        ResponseInspection.install(rules, 16384, facts, client, server, () -> rejected++);
        return server;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void waitsForEnoughBytesThenRejectsAndClosesBoth() {
        EmbeddedChannel server = server(rules(DELAY, "reject if { res.payload(0,4) -m str EVIL }"));
        server.writeInbound(text("EV"));
        assertEquals("", relayed.toString(), "two bytes cannot decide: held");
        assertNotNull(server.pipeline().get(ResponseInspection.NAME));
        server.writeInbound(text("IL and more"));
        assertEquals(1, rejected);
        assertEquals("", relayed.toString(), "nothing reaches the client");
        assertFalse(client.isOpen());
        assertFalse(server.isOpen());
    }

    @Test
    void acceptsOnceTheBytesRuleItOutAndLeaves() {
        EmbeddedChannel server = server(rules(DELAY, "reject if { res.payload(0,4) -m str EVIL }"));
        server.writeInbound(text("GO"));
        server.writeInbound(text("OD day"));
        assertEquals("GOOD day", relayed.toString(), "the held bytes go on in order");
        assertNull(server.pipeline().get(ResponseInspection.NAME), "the phase left the pipeline");
        server.writeInbound(text("!"));
        assertEquals("GOOD day!", relayed.toString());
        assertEquals(0, rejected);
        assertTrue(client.isOpen());
    }

    @Test
    void theDelayEndsTheWaitAndUndeterminedFetchesFail() {
        EmbeddedChannel server = server(rules(DELAY, "reject if { res.len lt 10 }"));
        server.writeInbound(text("tiny"));
        assertEquals("", relayed.toString(), "res.len may grow: waiting");
        server.advanceTimeBy(DELAY.toMillis() + 1, TimeUnit.MILLISECONDS);
        server.runScheduledPendingTasks();
        assertEquals(1, rejected, "final: 4 < 10");
        assertFalse(client.isOpen());
    }

    @Test
    void withoutDelayTheFirstBytesAreFinal() {
        EmbeddedChannel server = server(rules(Duration.ZERO, "reject if { res.payload(0,4) -m str EVIL }"));
        server.writeInbound(text("EV"));
        assertEquals("EV", relayed.toString(), "no delay: the rule cannot wait, so it does not match");
        assertEquals(0, rejected);
    }

    @Test
    void closePassesTheHeldBytesThenDropsTheRest() {
        EmbeddedChannel server = server(rules(DELAY, "close if { res.payload(0,3) -m str BYE }"));
        server.writeInbound(text("BYE now"));
        assertEquals("BYE now", relayed.toString());
        assertFalse(server.isOpen(), "the server connection is closed");
        assertEquals(0, rejected);
    }

    @Test
    void theServersFinMakesTheEvaluationFinalAndFollowsTheBytes() {
        EmbeddedChannel server = server(rules(DELAY, "reject if { res.len gt 100 }"));
        server.writeInbound(text("short"));
        assertEquals("", relayed.toString());
        server.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertEquals("short", relayed.toString());
        assertEquals(List.of(ChannelInputShutdownEvent.INSTANCE), events, "the FIN reaches the relay after the bytes");
    }

    @Test
    void setVarStoresWhatTheResponseSaysOnTheClientsVariables() {
        EmbeddedChannel server = server(rules(DELAY, "set-var txn.head res.payload(0,4)",
                "accept if { res.len ge 4 }"));
        server.writeInbound(text("HELLO"));
        assertEquals("HELLO", relayed.toString());
        assertEquals("HELL", facts.variables().get("txn.head"));
    }

    @Test
    void aServerClosingEarlyIsJudgedOnWhatCame() {
        EmbeddedChannel server = server(rules(DELAY, "reject if { res.payload(0,4) -m str EVIL }"));
        server.writeInbound(text("EV"));
        server.close();
        assertEquals("EV", relayed.toString(), "final on close: EV is not EVIL");
    }
}
