package dev.sluice.balancer.acl;

import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.TrackedCounters;
import java.util.List;

/**
 * The stick-table fetches: {@code sc0_*}, {@code sc1_*}, {@code sc2_*} and {@code sc_*(N)} read the
 * entry a connection tracks in that slot; {@code src_*} look the client address up in a table
 * without tracking it; {@code table_cnt} and {@code table_avl} read a table's fill. As in HAProxy
 * an untracked slot or an absent key reads 0, and data the table does not store makes the fetch
 * fail. The optional table argument names another table where the same key is looked up; without
 * it {@code src_*} and {@code table_*} use the current proxy's own table.
 */
final class StickFetches {

    /** What a fetch reads from an entry. */
    private enum Read {
        VALUE, KBYTES, INCREMENT, CLEAR
    }

    private record Data(String suffix, StickData data, Read read) {
    }

    private static final List<Data> DATA = List.of(
            new Data("conn_cur", StickData.CONN_CUR, Read.VALUE),
            new Data("conn_cnt", StickData.CONN_CNT, Read.VALUE),
            new Data("conn_rate", StickData.CONN_RATE, Read.VALUE),
            new Data("sess_cnt", StickData.SESS_CNT, Read.VALUE),
            new Data("sess_rate", StickData.SESS_RATE, Read.VALUE),
            new Data("http_req_cnt", StickData.HTTP_REQ_CNT, Read.VALUE),
            new Data("http_req_rate", StickData.HTTP_REQ_RATE, Read.VALUE),
            new Data("http_err_cnt", StickData.HTTP_ERR_CNT, Read.VALUE),
            new Data("http_err_rate", StickData.HTTP_ERR_RATE, Read.VALUE),
            new Data("bytes_in_rate", StickData.BYTES_IN_RATE, Read.VALUE),
            new Data("bytes_out_rate", StickData.BYTES_OUT_RATE, Read.VALUE),
            new Data("kbytes_in", StickData.BYTES_IN_CNT, Read.KBYTES),
            new Data("kbytes_out", StickData.BYTES_OUT_CNT, Read.KBYTES),
            new Data("get_gpc0", StickData.GPC0, Read.VALUE),
            new Data("gpc0_rate", StickData.GPC0_RATE, Read.VALUE),
            new Data("inc_gpc0", StickData.GPC0, Read.INCREMENT),
            new Data("clr_gpc0", StickData.GPC0, Read.CLEAR),
            new Data("get_gpc1", StickData.GPC1, Read.VALUE),
            new Data("gpc1_rate", StickData.GPC1_RATE, Read.VALUE),
            new Data("inc_gpc1", StickData.GPC1, Read.INCREMENT),
            new Data("clr_gpc1", StickData.GPC1, Read.CLEAR),
            new Data("get_gpt0", StickData.GPT0, Read.VALUE),
            new Data("http_fail_cnt", StickData.HTTP_FAIL_CNT, Read.VALUE),
            new Data("http_fail_rate", StickData.HTTP_FAIL_RATE, Read.VALUE));

    private StickFetches() {
    }

    /** Adds every stick fetch to the keyword table. */
    static void register() {
        for (Data d : DATA) {
            for (int slot = 0; slot < TrackedCounters.SLOTS; slot++) {
                int s = slot;
                Fetches.register("sc" + slot + "_" + d.suffix(), SampleType.INT, 1,
                        (k, a, c) -> tracked(s, table(k, a, 0, c, false), d));
            }
            Fetches.register("sc_" + d.suffix(), SampleType.INT, 2,
                    (k, a, c) -> tracked(slot(k, a, c), table(k, a, 1, c, false), d));
            Fetches.register("src_" + d.suffix(), SampleType.INT, 1,
                    (k, a, c) -> source(table(k, a, 0, c, true), d));
        }
        for (int slot = 0; slot < TrackedCounters.SLOTS; slot++) {
            int s = slot;
            Fetches.register("sc" + slot + "_tracked", SampleType.BOOL, 1, (k, a, c) -> {
                table(k, a, 0, c, false);
                return (r, all, sink) -> sink.bool(entry(r, s) != null);
            });
            Fetches.register("sc" + slot + "_trackers", SampleType.INT, 1,
                    (k, a, c) -> trackers(s, table(k, a, 0, c, false)));
        }
        Fetches.register("sc_tracked", SampleType.BOOL, 2, (k, a, c) -> {
            int s = slot(k, a, c);
            table(k, a, 1, c, false);
            return (r, all, sink) -> sink.bool(entry(r, s) != null);
        });
        Fetches.register("sc_trackers", SampleType.INT, 2,
                (k, a, c) -> trackers(slot(k, a, c), table(k, a, 1, c, false)));
        Fetches.register("table_cnt", SampleType.INT, 1, (k, a, c) -> {
            String name = table(k, a, 0, c, true);
            return (r, all, sink) -> {
                StickTable t = r.state().stickTables().get(name);
                return t != null && sink.integer(t.count());
            };
        });
        Fetches.register("table_avl", SampleType.INT, 1, (k, a, c) -> {
            String name = table(k, a, 0, c, true);
            return (r, all, sink) -> {
                StickTable t = r.state().stickTables().get(name);
                return t != null && sink.integer(t.available());
            };
        });
    }

    private static FetchFn tracked(int slot, String table, Data d) {
        return (r, all, sink) -> {
            StickEntry entry = entry(r, slot);
            if (entry != null && table != null) {
                StickTable other = r.state().stickTables().get(table);
                entry = other == null ? null : d.read() == Read.INCREMENT ? other.lookupOrCreate(entry.key())
                        : other.lookup(entry.key());
            }
            return emit(entry, d, sink);
        };
    }

    private static FetchFn source(String table, Data d) {
        return (r, all, sink) -> {
            StickTable t = r.state().stickTables().get(table);
            if (t == null) {
                return false;
            }
            Object key = t.key(r.source());
            // src_inc_gpc0 creates the entry, as HAProxy's does; the others only look.
            StickEntry entry = d.read() == Read.INCREMENT ? t.lookupOrCreate(key) : t.lookup(key);
            return emit(entry, d, sink);
        };
    }

    private static FetchFn trackers(int slot, String table) {
        return (r, all, sink) -> {
            StickEntry entry = entry(r, slot);
            if (entry != null && table != null) {
                StickTable other = r.state().stickTables().get(table);
                entry = other == null ? null : other.lookup(entry.key());
            }
            return sink.integer(entry == null ? 0 : entry.references());
        };
    }

    private static StickEntry entry(RequestView r, int slot) {
        TrackedCounters counters = r.trackedCounters();
        return counters == null ? null : counters.tracked(slot);
    }

    private static boolean emit(StickEntry entry, Data d, SampleSink sink) {
        if (entry == null) {
            return sink.integer(0);
        }
        long value = switch (d.read()) {
            case VALUE -> entry.get(d.data());
            case KBYTES -> {
                long bytes = entry.get(d.data());
                yield bytes < 0 ? -1 : bytes >> 10;
            }
            case INCREMENT -> {
                if (entry.get(d.data()) < 0) {
                    yield -1;
                }
                entry.increment(d.data()); // gpcN_rate follows gpcN increments, as in HAProxy
                yield entry.get(d.data());
            }
            case CLEAR -> {
                long before = entry.get(d.data());
                if (before >= 0) {
                    entry.set(d.data(), 0);
                }
                yield before;
            }
        };
        return value >= 0 && sink.integer(value);
    }

    /** {@code sc_*(N)}: the slot number, 0 to 2. */
    private static int slot(String keyword, List<String> args, CompileContext c) {
        String text = args.isEmpty() ? null : args.get(0);
        if (text == null) {
            throw AclException.invalid(c.keyword(keyword) + " : missing arguments (got 0/1), type 'integer' expected");
        }
        Long slot = Text.parseLong(text);
        if (slot == null || slot < 0 || slot >= TrackedCounters.SLOTS) {
            throw AclException.invalid(c.keyword(keyword) + " : invalid stick counter number '" + text
                    + "' (expected: 0 to " + (TrackedCounters.SLOTS - 1) + ")");
        }
        return slot.intValue();
    }

    /**
     * The table argument at {@code index}, checked against the configuration; when absent, the
     * current proxy's table if {@code ownByDefault} (it must have one), else null.
     */
    private static String table(String keyword, List<String> args, int index, CompileContext c, boolean ownByDefault) {
        String name = index < args.size() && !args.get(index).isEmpty() ? args.get(index) : null;
        if (name == null && !ownByDefault) {
            return null;
        }
        String table = name == null ? c.proxy() : name;
        if (!c.catalog().hasTable(table)) {
            throw AclException.invalid(name == null
                    ? c.keyword(keyword) + " : proxy '" + table + "' has no stick-table (declare one or name a "
                            + "table as argument)"
                    : c.keyword(keyword) + " : unable to find table '" + table + "' referenced in proxy '"
                            + c.proxy() + "'");
        }
        return table;
    }
}
