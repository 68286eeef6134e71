package dev.sluice.balancer.stick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.Payload;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.route.ConnectionFacts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order and outcomes of {@code tcp-response content} rules over the server's bytes. */
class TcpResponseRulesTest {
    private static final AclCompiler COMPILER = new AclCompiler(Path.of("."), ProxyCatalog.ANY);

    private static TcpResponseRules.Rule rule(TcpResponseRules.Action action, String condition) {
        return new TcpResponseRules.Rule(action, null, null, condition == null ? null
                : COMPILER.scope("be").condition(List.of(("if " + condition).split(" "))), "t:1");
    }

    /** Runs the rules over {@code bytes}, final or not; the facts keep the variables set. */
    private static TcpResponseRules.Decision run(TcpResponseRules rules, ConnectionFacts facts, String bytes,
                                                 boolean last) {
        ByteBuf buf = Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1);
        try {
            Payload payload = new Payload();
            payload.update(buf, 16384, last);
            facts.responsePayload(payload);
            return rules.run(facts);
        } finally {
            facts.responsePayload(null);
            buf.release();
        }
    }

    @Test
    void theFirstDecidingRuleWinsAndUndecidedMeansAccept() {
        var rules = new TcpResponseRules(List.of(rule(TcpResponseRules.Action.CLOSE, "{ res.payload(0,3) -m str BYE }"),
                rule(TcpResponseRules.Action.REJECT, "{ res.len gt 5 }")), Duration.ofSeconds(1));
        ConnectionFacts facts = new ConnectionFacts(null, null);
        assertEquals(TcpResponseRules.Decision.CLOSE, run(rules, facts, "BYE-long-enough", false));
        assertEquals(TcpResponseRules.Decision.WAIT, run(rules, facts, "BY", false), "BYE may still come");
        assertEquals(TcpResponseRules.Decision.WAIT, run(rules, facts, "HELLO", false), "res.len may still grow");
        assertEquals(TcpResponseRules.Decision.ACCEPT, run(rules, facts, "HELLO", true), "final: nothing matched");
        assertEquals(TcpResponseRules.Decision.REJECT, run(rules, facts, "HELLO-WORLD", false));
    }

    @Test
    void variablesAreSetAndUnsetInOrder() {
        var set = new TcpResponseRules.Rule(TcpResponseRules.Action.SET_VAR,
                COMPILER.sampleExpression("res.len", "be"), "txn.len", null, "t:1");
        var unset = new TcpResponseRules.Rule(TcpResponseRules.Action.UNSET_VAR, null, "txn.gone", null, "t:2");
        ConnectionFacts facts = new ConnectionFacts(null, null);
        facts.variables().set("txn.gone", "x");
        var rules = new TcpResponseRules(List.of(set, unset), Duration.ZERO);
        assertEquals(TcpResponseRules.Decision.ACCEPT, run(rules, facts, "abc", true));
        assertEquals(3L, facts.variables().get("txn.len"));
        assertNull(facts.variables().get("txn.gone"));
    }

    @Test
    void silentDropIsADecision() {
        var rules = new TcpResponseRules(List.of(rule(TcpResponseRules.Action.SILENT_DROP, null)), Duration.ZERO);
        assertEquals(TcpResponseRules.Decision.SILENT_DROP, run(rules, new ConnectionFacts(null, null), "", true));
    }

    @Test
    void aRuleIsValidatedWhenBuilt() {
        assertThrows(NullPointerException.class, () -> new TcpResponseRules.Rule(TcpResponseRules.Action.SET_VAR,
                null, "txn.x", null, "t:1"));
        assertThrows(IllegalArgumentException.class, () -> new TcpResponseRules.Rule(
                TcpResponseRules.Action.UNSET_VAR, null, "bad", null, "t:1"));
    }
}
