package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.balancer.stick.TableSpec;
import dev.sluice.balancer.stick.TrackedCounters;
import dev.sluice.balancer.stick.Tracking;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code sc*_}, {@code src_*} and {@code table_*} fetches over real tables and tracked counters. */
class StickFetchTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final StickTables tables = new StickTables(List.of(
            new TableSpec("fe", KeyType.IP, 0, 1024, Duration.ZERO, false, Map.of(StickData.CONN_CUR, 0L,
                    StickData.CONN_RATE, 10_000L, StickData.HTTP_REQ_CNT, 0L, StickData.GPC0, 0L)),
            new TableSpec("other", KeyType.IP, 0, 16, Duration.ZERO, false, Map.of(StickData.GPC0, 0L))),
            clock::get);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final TestRequest base = TestRequest.get("/");
    private final RequestView request = new Tracked(base);

    @AfterEach
    void close() {
        channel.close();
    }

    private boolean test(String acl) {
        return Acls.matches(acl, request);
    }

    @Test
    void trackedSlotsReadTheirEntry() {
        StickTable fe = tables.get("fe");
        TrackedCounters counters = Tracking.counters(channel);
        counters.trackConnection(0, fe, fe.key(base.source()));
        Tracking.requestStarted(channel);
        assertTrue(test("sc0_conn_cur eq 1"));
        assertTrue(test("sc_conn_cur(0) eq 1"));
        assertTrue(test("sc0_conn_rate eq 1"));
        assertTrue(test("sc0_http_req_cnt eq 1"));
        assertTrue(test("sc0_tracked"));
        assertTrue(test("sc0_trackers eq 1"));
        assertTrue(test("sc1_conn_cur eq 0"), "an untracked slot reads 0");
        assertFalse(test("sc1_tracked"));
        assertFalse(test("sc0_kbytes_in ge 0"), "not stored: the fetch fails");
        assertTrue(test("sc0_inc_gpc0 eq 1"));
        assertTrue(test("sc0_get_gpc0 eq 1"));
        assertTrue(test("sc0_get_gpc0(other) eq 0"), "the same key in another table, absent there");
        assertTrue(test("sc0_inc_gpc0(other) eq 1"));
        assertTrue(test("sc0_get_gpc0(other) eq 1"));
        assertTrue(test("sc0_clr_gpc0 eq 1"));
        assertTrue(test("sc0_get_gpc0 eq 0"));
    }

    @Test
    void sourceFetchesLookTheClientUpWithoutTracking() {
        StickTable fe = tables.get("fe");
        Tracking.counters(channel).trackConnection(2, fe, fe.key(IpAddress.parse("192.0.2.10")));
        Tracking.counters(new EmbeddedChannel()).trackConnection(0, fe, fe.key(IpAddress.parse("192.0.2.10")));
        assertTrue(test("src_conn_cur eq 2"));
        assertFalse(test("src_conn_cnt ge 0"), "conn_cnt is not stored");
        base.source("192.0.2.11");
        assertTrue(test("src_conn_cur eq 0"), "another client");
        assertTrue(test("table_cnt eq 1"));
        assertTrue(test("src_inc_gpc0 eq 1"), "src_inc_gpc0 creates the entry");
        assertTrue(test("table_cnt eq 2"));
        assertTrue(test("table_avl eq 1022"));
        assertTrue(test("table_cnt(other) eq 0"));
        base.source("2001:db8::1");
        assertTrue(test("src_conn_cur eq 0"), "an IPv6 client has no key in an ip table");
    }

    @Test
    void tableArgumentsAreChecked() {
        ProxyCatalog noTables = new ProxyCatalog() {
            @Override
            public boolean hasBackend(String name) {
                return true;
            }

            @Override
            public boolean hasFrontend(String name) {
                return true;
            }

            @Override
            public boolean hasServer(String backend, String server) {
                return true;
            }

            @Override
            public boolean hasTable(String name) {
                return name.equals("t");
            }
        };
        AclScope scope = new AclCompiler(Path.of("."), noTables).scope("fe");
        assertEquals("ACL keyword 'src_conn_cur' : proxy 'fe' has no stick-table (declare one or name a table as "
                + "argument)", Acls.message(() -> scope.condition(Acls.words("if { src_conn_cur gt 1 }"))));
        assertEquals("ACL keyword 'sc0_conn_cur' : unable to find table 'x' referenced in proxy 'fe'",
                Acls.message(() -> scope.condition(Acls.words("if { sc0_conn_cur(x) gt 1 }"))));
        assertEquals("ACL keyword 'sc_conn_cur' : invalid stick counter number '3' (expected: 0 to 2)",
                Acls.message(() -> scope.condition(Acls.words("if { sc_conn_cur(3) gt 1 }"))));
        scope.condition(Acls.words("if { src_conn_cur(t) gt 1 } { sc1_conn_rate gt 2 }"));
    }

    /** The test request, with this test's tables and the channel's tracked counters. */
    private final class Tracked implements RequestView {
        private final TestRequest r;
        private final StateView state;

        Tracked(TestRequest r) {
            this.r = r;
            this.state = new StateView() {
                @Override
                public int usableServers(String backend) {
                    return 0;
                }

                @Override
                public int backendConnections(String backend) {
                    return 0;
                }

                @Override
                public int frontendConnections(String frontend) {
                    return 0;
                }

                @Override
                public int connectionSlots(String backend) {
                    return 0;
                }

                @Override
                public int queued(String backend) {
                    return 0;
                }

                @Override
                public boolean serverUp(String backend, String server) {
                    return false;
                }

                @Override
                public StickTables stickTables() {
                    return tables;
                }
            };
        }

        @Override
        public TrackedCounters trackedCounters() {
            return Tracking.existing(channel);
        }

        @Override
        public StateView state() {
            return state;
        }

        @Override
        public CharSequence method() {
            return r.method();
        }

        @Override
        public CharSequence uri() {
            return r.uri();
        }

        @Override
        public CharSequence version() {
            return r.version();
        }

        @Override
        public int headerCount() {
            return r.headerCount();
        }

        @Override
        public CharSequence headerName(int index) {
            return r.headerName(index);
        }

        @Override
        public CharSequence headerValue(int index) {
            return r.headerValue(index);
        }

        @Override
        public IpAddress source() {
            return r.source();
        }

        @Override
        public int sourcePort() {
            return r.sourcePort();
        }

        @Override
        public IpAddress destination() {
            return r.destination();
        }

        @Override
        public int destinationPort() {
            return r.destinationPort();
        }

        @Override
        public CharSequence proxyTlv(int type) {
            return r.proxyTlv(type);
        }

        @Override
        public boolean proxySsl() {
            return r.proxySsl();
        }

        @Override
        public CharSequence proxySslVersion() {
            return r.proxySslVersion();
        }

        @Override
        public CharSequence proxySslCipher() {
            return r.proxySslCipher();
        }
    }
}
