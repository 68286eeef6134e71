package dev.sluice.balancer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.acl.Variables;
import dev.sluice.balancer.format.AliasTable;
import dev.sluice.balancer.format.FormatCompiler;
import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.balancer.stick.TableSpec;
import dev.sluice.balancer.stick.TrackedCounters;
import dev.sluice.balancer.stick.Tracking;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http-request track-scN} and {@code sc-inc-gpc0(N)} over a real connection's tracked counters
 * (an {@link EmbeddedChannel}) and real tables, driven in the order the exchange handler uses:
 * {@link Tracking#requestStarted}, the rules, {@link Tracking#requestEnded}.
 */
class StickActionsTest {

    /** Tables' time stands still: the rates read exactly the events of the test. */
    private static final long NOW_MS = 1L << 33;

    private final AclCompiler acl = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
    private final StickTables tables = new StickTables(List.of(
            new TableSpec("fe", KeyType.IP, 0, 100, Duration.ofSeconds(30), false, Map.of(
                    StickData.HTTP_REQ_CNT, 0L, StickData.HTTP_REQ_RATE, 10_000L, StickData.GPC0, 0L,
                    StickData.GPC0_RATE, 10_000L, StickData.CONN_CUR, 0L)),
            new TableSpec("paths", KeyType.STRING, 32, 100, Duration.ofSeconds(30), false, Map.of(
                    StickData.HTTP_REQ_CNT, 0L))), () -> NOW_MS);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a");
    private final View view = new View(new NettyView(request), channel, tables);
    private final RuleContext context = new RuleContext(view, r -> { }, "fe");

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private RuleParser parser(RuleEnvironment.Tables known) {
        return new RuleParser(new RuleEnvironment(Path.of("."),
                FormatCompiler.forValues(AliasTable.STANDARD, t -> acl.sampleExpression(t, "fe")),
                t -> acl.sampleExpression(t, "fe"), acl.scope("fe")::condition, known));
    }

    private Rule rule(String line) {
        return parser(new RuleEnvironment.Tables("fe", Set.of("fe", "paths")::contains))
                .parse(RuleParser.Kind.REQUEST, List.of(line.split(" ")), "t.cfg:3");
    }

    /** One request through the rules, as the exchange handler runs it. */
    private void request(List<Rule> rules) {
        context.startRequest(request);
        Tracking.requestStarted(channel);
        for (Rule rule : rules) {
            assertEquals(Verdict.CONTINUE, rule.run(context));
        }
        Tracking.requestEnded(channel);
    }

    private StickEntry entry(String table, Object key) {
        StickTable t = tables.get(table);
        return t.lookup(key);
    }

    private StickEntry client() {
        StickTable t = tables.get("fe");
        return t.lookup(t.key(IpAddress.parse("192.0.2.7")));
    }

    @Test
    void eachRequestIsCountedOnceInTheTrackedEntry() {
        List<Rule> rules = List.of(rule("track-sc0 src"), rule("sc-inc-gpc0(0)"));
        for (int i = 1; i <= 3; i++) {
            request(rules);
            StickEntry entry = client();
            assertEquals(i, entry.get(StickData.HTTP_REQ_CNT), "request " + i);
            assertEquals(i, entry.get(StickData.HTTP_REQ_RATE), "request " + i);
            assertEquals(i, entry.get(StickData.GPC0), "request " + i);
            assertEquals(i, entry.get(StickData.GPC0_RATE), "request " + i);
            assertEquals(0, entry.get(StickData.CONN_CUR), "the track ends with the request");
        }
    }

    @Test
    void theFirstTrackOfASlotWinsAndOtherSlotsTrackOtherTables() {
        Rule first = rule("track-sc1 src");
        Rule second = rule("track-sc1 path table paths");
        Rule third = rule("track-sc2 path table paths");
        context.startRequest(request);
        Tracking.requestStarted(channel);
        first.run(context);
        second.run(context);
        third.run(context);
        TrackedCounters counters = Tracking.existing(channel);
        assertSame(client(), counters.tracked(1));
        StickEntry path = entry("paths", tables.get("paths").key("/a"));
        assertSame(path, counters.tracked(2));
        assertNull(counters.tracked(0));
        assertEquals(1, path.get(StickData.HTTP_REQ_CNT), "counted once although two rules name it");
        assertEquals(1, client().get(StickData.CONN_CUR));
        Tracking.requestEnded(channel);
        assertEquals(0, client().get(StickData.CONN_CUR));
        assertNull(counters.tracked(1));
    }

    @Test
    void gpc0WithoutATrackOrWithoutTheSlotDoesNothing() {
        request(List.of(rule("sc-inc-gpc0")));
        assertNull(client(), "no entry is made without a track");
        request(List.of(rule("track-sc0 src"), rule("sc-inc-gpc0(2)")));
        assertEquals(0, client().get(StickData.GPC0));
        request(List.of(rule("track-sc2 src"), rule("sc-inc-gpc0")));
        assertEquals(0, client().get(StickData.GPC0), "sc-inc-gpc0 alone is slot 0");
    }

    @Test
    void aTableMissingAtRunTimeOrAnAbsentKeyTracksNothing() {
        Rule rule = parser(RuleEnvironment.Tables.ANY).parse(RuleParser.Kind.REQUEST,
                List.of("track-sc0", "src", "table", "elsewhere"), "t.cfg:3");
        request(List.of(rule, rule("track-sc1 req.hdr(x-none) table paths")));
        assertNull(Tracking.existing(channel));
        assertEquals(0, tables.get("paths").count());
    }

    @Test
    void refusalsNameTheRuleAndTheReason() {
        assertEquals("'http-request track-sc0': unable to find table 'nowhere'",
                assertThrows(RuleException.class, () -> rule("track-sc0 src table nowhere")).getMessage());
        assertEquals("'http-request track-sc0': proxy 'be' has no stick-table (declare one or add 'table NAME')",
                assertThrows(RuleException.class, () -> parser(new RuleEnvironment.Tables("be", "fe"::equals))
                        .parse(RuleParser.Kind.REQUEST, List.of("track-sc0", "src"), "t.cfg:3")).getMessage());
        assertEquals("'http-request track-sc0': this section has no stick-table (declare one or add 'table NAME')",
                assertThrows(RuleException.class, () -> parser(RuleEnvironment.Tables.ANY)
                        .parse(RuleParser.Kind.REQUEST, List.of("track-sc0", "src"), "t.cfg:3")).getMessage());
        assertEquals("'http-request track-sc0' expects a sample expression",
                assertThrows(RuleException.class, () -> rule("track-sc0")).getMessage());
        assertEquals("'http-request track-sc0': missing table name",
                assertThrows(RuleException.class, () -> rule("track-sc0 src table")).getMessage());
        assertEquals("'http-request track-sc0': expects 'table', 'if' or 'unless' after the key (got 'tables')",
                assertThrows(RuleException.class, () -> rule("track-sc0 src tables fe")).getMessage());
        assertEquals("'http-request track-sc0': unexpected argument 'x'",
                assertThrows(RuleException.class, () -> rule("track-sc0 src table fe x")).getMessage());
        assertTrue(assertThrows(RuleException.class, () -> rule("track-sc3 src")).getMessage()
                .startsWith("unknown action 'http-request track-sc3'"));
        assertTrue(assertThrows(RuleException.class, () -> rule("sc-inc-gpc0(3)")).getMessage()
                .contains("invalid stick counter in 'sc-inc-gpc0(3)'"));
        assertTrue(assertThrows(RuleException.class, () -> rule("sc-inc-gpc0(x)")).getMessage()
                .contains("invalid stick counter"));
        assertEquals("'http-request sc-inc-gpc0(0)': unexpected argument 'x'",
                assertThrows(RuleException.class, () -> rule("sc-inc-gpc0(0) x")).getMessage());
        assertTrue(assertThrows(RuleException.class, () -> rule("sc-set-gpt0(3) 1")).getMessage()
                .contains("invalid stick counter in 'sc-set-gpt0(3)' (expected: sc-set-gpt0(0), sc-set-gpt0(1) or "
                        + "sc-set-gpt0(2))"));
        assertEquals("'http-request sc-set-gpt0(0)' expects 1 argument (got 0)",
                assertThrows(RuleException.class, () -> rule("sc-set-gpt0(0)")).getMessage());
        String response = assertThrows(RuleException.class, () -> parser(RuleEnvironment.Tables.ANY)
                .parse(RuleParser.Kind.RESPONSE, List.of("track-sc0", "src"), "t.cfg:3")).getMessage();
        assertTrue(response.contains("not supported yet") && response.contains("'http-request' rules only"), response);
        assertFalse(rule("track-sc2 src if TRUE").condition() == null);
    }

    /** The test's view: a Netty request's, with the connection and tables of this test. */
    private record View(NettyView base, Channel channel, StickTables tables) implements RequestView {
        @Override
        public CharSequence method() {
            return base.method();
        }

        @Override
        public CharSequence uri() {
            return base.uri();
        }

        @Override
        public CharSequence version() {
            return base.version();
        }

        @Override
        public int headerCount() {
            return base.headerCount();
        }

        @Override
        public CharSequence headerName(int index) {
            return base.headerName(index);
        }

        @Override
        public CharSequence headerValue(int index) {
            return base.headerValue(index);
        }

        @Override
        public IpAddress source() {
            return base.source();
        }

        @Override
        public int sourcePort() {
            return base.sourcePort();
        }

        @Override
        public IpAddress destination() {
            return base.destination();
        }

        @Override
        public int destinationPort() {
            return base.destinationPort();
        }

        @Override
        public CharSequence proxyTlv(int type) {
            return base.proxyTlv(type);
        }

        @Override
        public boolean proxySsl() {
            return base.proxySsl();
        }

        @Override
        public CharSequence proxySslVersion() {
            return base.proxySslVersion();
        }

        @Override
        public CharSequence proxySslCipher() {
            return base.proxySslCipher();
        }

        @Override
        public Variables variables() {
            return base.variables();
        }

        @Override
        public TrackedCounters trackedCounters() {
            return Tracking.existing(channel);
        }

        @Override
        public StateView state() {
            StateView inner = base.state();
            return new StateView() {
                @Override
                public int usableServers(String backend) {
                    return inner.usableServers(backend);
                }

                @Override
                public int backendConnections(String backend) {
                    return inner.backendConnections(backend);
                }

                @Override
                public int frontendConnections(String frontend) {
                    return inner.frontendConnections(frontend);
                }

                @Override
                public int connectionSlots(String backend) {
                    return inner.connectionSlots(backend);
                }

                @Override
                public int queued(String backend) {
                    return inner.queued(backend);
                }

                @Override
                public boolean serverUp(String backend, String server) {
                    return inner.serverUp(backend, server);
                }

                @Override
                public StickTables stickTables() {
                    return tables;
                }
            };
        }
    }
}
