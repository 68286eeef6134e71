package dev.sluice.balancer.stick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.route.ConnectionFacts;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * set-var and unset-var in tcp-request rules: the value keeps its sample type, and a {@code sess.}
 * variable set in one phase is seen by the views of later phases of the same connection only.
 */
class TcpVarActionsTest {
    private static final AclCompiler COMPILER = new AclCompiler(Path.of("."), ProxyCatalog.ANY);

    private static SampleExpression sample(String text) {
        return COMPILER.sampleExpression(text, "fe");
    }

    private static TcpRule set(TcpRule.Phase phase, String name, String sample) {
        return new TcpRule(phase, TcpRule.Action.SET_VAR, -1, sample(sample), null, null, "t:1", name);
    }

    private static TcpRule unset(TcpRule.Phase phase, String name) {
        return new TcpRule(phase, TcpRule.Action.UNSET_VAR, -1, null, null, null, "t:2", name);
    }

    @Test
    void sessionVariablesOutliveTheirPhaseOnTheirConnectionOnly() {
        EmbeddedChannel channel = new EmbeddedChannel();
        EmbeddedChannel other = new EmbeddedChannel();
        TcpRules rules = TcpRules.of(List.of(
                set(TcpRule.Phase.CONNECTION, "sess.n", "int(42)"),
                set(TcpRule.Phase.SESSION, "sess.s", "str(hello)"),
                set(TcpRule.Phase.CONTENT, "txn.t", "str(req)")), Duration.ZERO);
        assertEquals(TcpRules.Verdict.ACCEPT, TcpRules.run(rules.connection(), new ConnectionFacts(channel, null),
                channel, StickTables.NONE));
        assertEquals(TcpRules.Verdict.ACCEPT, TcpRules.run(rules.session(), new ConnectionFacts(channel, null),
                channel, StickTables.NONE));
        ConnectionFacts request = new ConnectionFacts(channel, null);
        assertEquals(ContentRules.Decision.ACCEPT, ContentRules.run(rules.content(), request, channel,
                StickTables.NONE));
        assertEquals(42L, request.variables().get("sess.n"));
        assertEquals("hello", request.variables().get("sess.s"));
        assertEquals("req", request.variables().get("txn.t"));
        assertEquals("42", sample("var(sess.n)").evaluateString(request));
        // txn.* belongs to the view (the request); sess.* to the connection.
        assertNull(new ConnectionFacts(channel, null).variables().get("txn.t"));
        assertNull(new ConnectionFacts(other, null).variables().get("sess.n"));
        request.variables().endTransaction();
        assertNull(request.variables().get("txn.t"));
        assertEquals(42L, request.variables().get("sess.n"));
        channel.finishAndReleaseAll();
        other.finishAndReleaseAll();
    }

    @Test
    void unsetRemovesAndAnEmptySampleLeavesTheValue() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ConnectionFacts facts = new ConnectionFacts(channel, null);
        TcpRules.run(List.of(set(TcpRule.Phase.CONNECTION, "sess.a", "str(one)"),
                set(TcpRule.Phase.CONNECTION, "sess.b", "str(two)")), facts, channel, StickTables.NONE);
        // var() of an unset variable yields no sample: sess.a stays as it was.
        TcpRules.run(List.of(set(TcpRule.Phase.SESSION, "sess.a", "var(sess.none)"),
                unset(TcpRule.Phase.SESSION, "sess.b")), facts, channel, StickTables.NONE);
        ConnectionFacts later = new ConnectionFacts(channel, null);
        assertEquals("one", later.variables().get("sess.a"));
        assertNull(later.variables().get("sess.b"));
        channel.finishAndReleaseAll();
    }
}
