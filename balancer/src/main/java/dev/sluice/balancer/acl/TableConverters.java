package dev.sluice.balancer.acl;

import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converters that read a stick table by the input sample used as the key ({@code table_*},
 * {@code in_table}) and the {@code set-var} converter. As HAProxy 2.6 does, a key that is absent
 * reads 0, data the table does not store fails the conversion, and without an argument the
 * current proxy's table is used. Looking a key up never creates it.
 */
final class TableConverters {

    /** What a table converter reads, by its name after {@code table_}. */
    private static final Map<String, StickData> DATA = Map.ofEntries(Map.entry("conn_cur", StickData.CONN_CUR),
            Map.entry("conn_cnt", StickData.CONN_CNT), Map.entry("conn_rate", StickData.CONN_RATE),
            Map.entry("sess_cnt", StickData.SESS_CNT), Map.entry("sess_rate", StickData.SESS_RATE),
            Map.entry("http_req_cnt", StickData.HTTP_REQ_CNT), Map.entry("http_req_rate", StickData.HTTP_REQ_RATE),
            Map.entry("http_err_cnt", StickData.HTTP_ERR_CNT), Map.entry("http_err_rate", StickData.HTTP_ERR_RATE),
            Map.entry("http_fail_cnt", StickData.HTTP_FAIL_CNT),
            Map.entry("http_fail_rate", StickData.HTTP_FAIL_RATE),
            Map.entry("bytes_in_rate", StickData.BYTES_IN_RATE), Map.entry("bytes_out_rate", StickData.BYTES_OUT_RATE),
            Map.entry("kbytes_in", StickData.BYTES_IN_CNT), Map.entry("kbytes_out", StickData.BYTES_OUT_CNT),
            Map.entry("gpc0", StickData.GPC0), Map.entry("gpc0_rate", StickData.GPC0_RATE),
            Map.entry("gpc1", StickData.GPC1), Map.entry("gpc1_rate", StickData.GPC1_RATE),
            Map.entry("gpt0", StickData.GPT0), Map.entry("server_id", StickData.SERVER_ID));

    private static final Set<String> CONDITIONS = Set.of("ifexists", "ifnotexists", "ifempty", "ifnotempty", "ifset",
            "ifnotset", "ifgt", "iflt");
    private static final int MAX_CONDITIONS = 4;

    private TableConverters() {
    }

    /** The converter names this class serves: {@code table_<data>} and {@code table_trackers}. */
    static Set<String> tableNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String d : DATA.keySet()) {
            names.add("table_" + d);
        }
        names.add("table_trackers");
        return names;
    }

    @FunctionalInterface
    private interface EntryRead {
        /** The value for an entry (null when absent), or -1 to fail. */
        long read(StickEntry entry);
    }

    static Converters.Converter table(String n, List<String> a, CompileContext c, String e) {
        String suffix = n.substring("table_".length());
        if (suffix.equals("trackers")) {
            return lookup(n, a, c, SampleType.INT, entry -> entry == null ? 0 : entry.references(), false);
        }
        StickData data = DATA.get(suffix);
        boolean kbytes = suffix.startsWith("kbytes_");
        return lookup(n, a, c, SampleType.INT, entry -> {
            if (entry == null) {
                return 0;
            }
            long v = entry.get(data);
            return v < 0 ? -1 : kbytes ? v >> 10 : v;
        }, false);
    }

    static Converters.Converter inTable(String n, List<String> a, CompileContext c, String e) {
        return lookup(n, a, c, SampleType.BOOL, entry -> entry == null ? 0 : 1, true);
    }

    private static Converters.Converter lookup(String name, List<String> args, CompileContext c, SampleType output,
            EntryRead read, boolean bool) {
        Converters.arguments(name, args, 0, 1, new String[] {"table"});
        String table = args.isEmpty() || args.get(0).isEmpty() ? c.proxy() : args.get(0);
        if (!c.catalog().hasTable(table)) {
            throw AclException.invalid("unable to find table '" + table + "' referenced in arg 1 of conversion "
                    + "keyword '" + name + "' in proxy '" + c.proxy() + "'");
        }
        return ConverterStages.of(name, output, true, next -> new SampleSink() {
            private boolean emit(StickTable t, Object key) {
                long v = read.read(key == null ? null : t.lookup(key));
                if (v < 0) {
                    return false;
                }
                return bool ? next.bool(v != 0) : next.integer(v);
            }

            private StickTable table() {
                RequestView r = ConverterRequest.current();
                return r == null ? null : r.state().stickTables().get(table);
            }

            @Override
            public boolean string(CharSequence s, int from, int to) {
                StickTable t = table();
                return t != null && emit(t, t.key(s.subSequence(from, to).toString()));
            }

            @Override
            public boolean integer(long value) {
                StickTable t = table();
                return t != null && emit(t, t.key(value));
            }

            @Override
            public boolean ip(IpAddress address) {
                StickTable t = table();
                return t != null && emit(t, t.key(address));
            }

            @Override
            public boolean bool(boolean value) {
                return integer(value ? 1 : 0);
            }
        });
    }

    /**
     * {@code set-var(name[,cond...])}: stores the input in its own type and passes it on; when a
     * condition does not hold the variable is left alone and the conversion fails, as in HAProxy 2.6.
     * A variable exists here exactly when it is set.
     */
    static Converters.Converter setVar(String n, List<String> a, CompileContext c, String e) {
        if (a.isEmpty() || a.get(0).isEmpty()) {
            throw AclException.invalid("invalid args in converter '" + n + "' : missing variable name.");
        }
        String name = a.get(0);
        if (Variables.checkName(name) != null) {
            throw AclException.invalid("invalid args in converter '" + n + "' : invalid variable name '" + name
                    + "'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req',"
                    + " 'res' or 'check'.");
        }
        List<String> conditions = a.subList(1, a.size());
        if (conditions.size() > MAX_CONDITIONS) {
            throw AclException.invalid("invalid args in converter '" + n + "' : too many conditions.");
        }
        for (String cond : conditions) {
            if (!CONDITIONS.contains(cond)) {
                throw AclException.invalid("invalid args in converter '" + n + "' : unknown condition \"" + cond
                        + "\".");
            }
        }
        String[] conds = conditions.toArray(new String[0]);
        return ConverterStages.of(n, SampleType.STR, true, next -> new SampleSink() {
            private boolean allow(Variables vars, Object input, boolean empty) {
                Object current = vars.get(name);
                for (String cond : conds) {
                    boolean ok = switch (cond) {
                        case "ifexists", "ifset" -> current != null;
                        case "ifnotexists", "ifnotset" -> current == null;
                        case "ifempty" -> empty;
                        case "ifnotempty" -> !empty;
                        case "ifgt" -> !(current instanceof Long v && input instanceof Long i) || v > i;
                        case "iflt" -> !(current instanceof Long v && input instanceof Long i) || v < i;
                        default -> true;
                    };
                    if (!ok) {
                        return false;
                    }
                }
                return true;
            }

            private boolean store(Object value, boolean empty) {
                Variables vars = ConverterRequest.variables();
                if (vars == null || !allow(vars, value, empty)) {
                    return false;
                }
                vars.set(name, value);
                return true;
            }

            @Override
            public boolean string(CharSequence s, int from, int to) {
                return store(s.subSequence(from, to).toString(), from == to) && next.string(s, from, to);
            }

            @Override
            public boolean integer(long value) {
                return store(value, false) && next.integer(value);
            }

            @Override
            public boolean ip(IpAddress address) {
                return store(address, false) && next.ip(address);
            }

            @Override
            public boolean bool(boolean value) {
                return store(value, false) && next.bool(value);
            }
        });
    }

    /** {@code unset-var(name)}: removes the variable and passes the input on. */
    static Converters.Converter unsetVar(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 1, 1, new String[] {"string"});
        String name = a.get(0);
        if (Variables.checkName(name) != null) {
            throw AclException.invalid("invalid args in converter '" + n + "' : invalid variable name '" + name
                    + "'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req',"
                    + " 'res' or 'check'.");
        }
        return ConverterStages.of(n, SampleType.STR, true, next -> new SampleSink() {
            private void unset() {
                Variables vars = ConverterRequest.variables();
                if (vars != null) {
                    vars.unset(name);
                }
            }

            @Override
            public boolean string(CharSequence s, int from, int to) {
                unset();
                return next.string(s, from, to);
            }

            @Override
            public boolean integer(long value) {
                unset();
                return next.integer(value);
            }

            @Override
            public boolean ip(IpAddress address) {
                unset();
                return next.ip(address);
            }

            @Override
            public boolean bool(boolean value) {
                unset();
                return next.bool(value);
            }
        });
    }
}
