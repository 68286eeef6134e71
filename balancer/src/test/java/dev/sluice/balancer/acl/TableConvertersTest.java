package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.stick.KeyType;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.balancer.stick.TableSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableConvertersTest {

    private final StickTables tables = new StickTables(List.of(
            new TableSpec("st", KeyType.STRING, 32, 10, Duration.ofMinutes(1), false,
                    Map.of(StickData.HTTP_REQ_CNT, 0L, StickData.GPC0, 0L, StickData.BYTES_IN_CNT, 0L)),
            new TableSpec("ips", KeyType.IP, 0, 10, Duration.ofMinutes(1), false, Map.of(StickData.CONN_CUR, 0L))));
    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression, VariablesRequest r) {
        return compiler.sampleExpression(expression, "fe").evaluateString(r);
    }

    private VariablesRequest request() {
        return new VariablesRequest(TestRequest.get("/").source("192.0.2.7"), tables);
    }

    @Test
    void absentKeysReadZeroAndPresentKeysTheirData() {
        assertEquals("0", value("str(k1),in_table(st)", request()));
        assertEquals("0", value("str(k1),table_http_req_cnt(st)", request()));
        var entry = tables.get("st").lookupOrCreate(tables.get("st").key("k1"));
        entry.add(StickData.HTTP_REQ_CNT, 5);
        entry.add(StickData.BYTES_IN_CNT, 4096);
        assertEquals("1", value("str(k1),in_table(st)", request()));
        assertEquals("5", value("str(k1),table_http_req_cnt(st)", request()));
        assertEquals("4", value("str(k1),table_kbytes_in(st)", request()));
        assertEquals("0", value("str(k1),table_gpc0(st)", request()));
        assertEquals("0", value("str(k1),table_trackers(st)", request()));
        assertNull(value("str(k1),table_http_req_rate(st)", request()), "data the table does not store fails");
        assertEquals("0", value("str(k2),table_http_req_cnt(st)", request()));
    }

    @Test
    void addressKeys() {
        var t = tables.get("ips");
        t.lookupOrCreate(t.key(IpAddress.parse("192.0.2.7"))).add(StickData.CONN_CUR, 2);
        assertEquals("2", value("src,table_conn_cur(ips)", request()));
        assertEquals("1", value("str(192.0.2.7),in_table(ips)", request()));
        assertTrue(Acls.matches("src,in_table(ips)", request()));
    }

    @Test
    void setVarStoresAndPassesTheInput() {
        VariablesRequest r = request();
        assertEquals("abc-abc", value("str(abc),set-var(txn.q),concat(-,txn.q)", r));
        assertEquals("abc", r.variables.get("txn.q"));
        assertEquals("2", value("int(1),set-var(txn.a),add(txn.a)", r));
        assertEquals(1L, r.variables.get("txn.a"));
        r.set("txn.n", 7L);
        assertNull(value("str(x),set-var(txn.n,ifnotexists),concat(-,txn.n)", r));
        assertEquals(7L, r.variables.get("txn.n"));
        assertEquals("5", value("int(5),set-var(txn.n,ifgt)", r));
        assertEquals(5L, r.variables.get("txn.n"));
        assertNull(value("int(9),set-var(txn.n,ifgt)", r));
        assertEquals(5L, r.variables.get("txn.n"));
        AclException e = assertThrows(AclException.class, () -> value("str(a),set-var(txn.x,bad)", r));
        assertTrue(e.getMessage().contains("unknown condition \"bad\""), e.getMessage());
        assertThrows(AclException.class, () -> value("str(a),set-var(foo)", r));
    }

    @Test
    void unsetVarRemovesAndPassesTheInput() {
        VariablesRequest r = request().set("txn.s", "abc");
        assertEquals("abc-", value("str(abc),unset-var(txn.s),concat(-,txn.s)", r));
        assertNull(r.variables.get("txn.s"));
        assertThrows(AclException.class, () -> value("str(a),unset-var(foo)", r));
    }
}
