package dev.sluice.balancer.admin;

import static dev.sluice.balancer.stick.StickData.*;

import dev.sluice.balancer.runtime.StatsPlan.Level;
import dev.sluice.balancer.stick.StickData;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.StickTables;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime API's stick-table commands with HAProxy 2.6's replies: {@code show table} (every
 * table's usage), {@code show table T [filter]} (its entries, from operator level), and {@code clear
 * table T [filter]} (operator level; a user session is quietly ignored, as HAProxy ignores it).
 * Filters: {@code key K}, or up to {@link #MAX_DATA_FILTERS} {@code data.TYPE OP VALUE}.
 */
public final class TableCommands {
    static final String NO_TABLE = "No such table\n";
    static final String CLEAR_USAGE = "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> "
            + "or <table> key <key>\n";
    static final String BAD_OPTION = "Optional argument only supports \"data.<store_data_type>\" <operator> <value> "
            + "and key <key>\n";
    static final String NO_KEY = "Key value expected\n";
    static final String HIDDEN = "# contents not dumped due to insufficient privileges\n";
    static final int MAX_DATA_FILTERS = 4;
    /** The order HAProxy prints an entry's data in (its data type numbers). */
    private static final List<StickData> PRINT_ORDER = List.of(SERVER_ID, GPT0, GPC0, GPC0_RATE, CONN_CNT,
            CONN_RATE, CONN_CUR, SESS_CNT, SESS_RATE, HTTP_REQ_CNT, HTTP_REQ_RATE, HTTP_ERR_CNT, HTTP_ERR_RATE,
            BYTES_IN_CNT, BYTES_IN_RATE, BYTES_OUT_CNT, BYTES_OUT_RATE, GPC1, GPC1_RATE, HTTP_FAIL_CNT, HTTP_FAIL_RATE);

    private final StickTables tables;

    private TableCommands(StickTables tables) {
        this.tables = tables;
    }

    /** Registers {@code show table} and {@code clear table} over {@code tables}. */
    public static void register(CliCommands commands, StickTables tables) {
        TableCommands table = new TableCommands(tables);
        commands.register("clear table", Level.USER, "clear table <table> [<filter>]*",
                        "remove an entry from a table (filter: data/key)", table::clear)
                .register("show table", Level.USER, "show table <table> [<filter>]*",
                        "report table usage stats or dump this table's contents (filter: data/key)", table::show);
    }

    /** What the words after the table name ask for: a key, data filters, or an error to answer. */
    private record Filter(Object key, List<DataFilter> data, String error) {
        boolean matches(StickEntry entry) {
            if (key != null && !key.equals(entry.key())) {
                return false;
            }
            for (DataFilter filter : data) {
                if (!filter.matches(entry.get(filter.type()))) {
                    return false;
                }
            }
            return true;
        }
    }

    private record DataFilter(StickData type, String operator, long value) {
        boolean matches(long actual) {
            return switch (operator) {
                case "eq" -> actual == value;
                case "ne" -> actual != value;
                case "le" -> actual <= value;
                case "ge" -> actual >= value;
                case "lt" -> actual < value;
                default -> actual > value;
            };
        }
    }

    private String show(CliSession session, List<String> args) {
        if (args.size() < 3) {
            StringBuilder out = new StringBuilder();
            List<StickTable> all = tables.all();
            // HAProxy lists its tables last declared first.
            for (int i = all.size() - 1; i >= 0; i--) {
                header(out, all.get(i));
            }
            return out.toString();
        }
        StickTable table = tables.get(args.get(2));
        if (table == null) {
            return NO_TABLE;
        }
        Filter filter = filter(table, args.subList(3, args.size()));
        if (filter.error() != null) {
            return filter.error();
        }
        boolean mayRead = session.level().compareTo(Level.OPERATOR) >= 0;
        if (filter.key() != null) {
            // A key lookup answers the header and the entry, or nothing at all when there is none.
            if (!mayRead) {
                return "Permission denied\n";
            }
            StickEntry entry = table.lookup(filter.key());
            StringBuilder out = new StringBuilder();
            if (entry != null && filter.matches(entry)) {
                header(out, table);
                entry(out, table, entry);
            }
            return out.toString();
        }
        StringBuilder out = new StringBuilder();
        header(out, table);
        if (!mayRead) {
            return out.append(HIDDEN).toString();
        }
        for (StickEntry entry : table.liveEntries()) {
            if (filter.matches(entry)) {
                entry(out, table, entry);
            }
        }
        return out.toString();
    }

    private String clear(CliSession session, List<String> args) {
        if (args.size() < 3) {
            return CLEAR_USAGE;
        }
        StickTable table = tables.get(args.get(2));
        if (table == null) {
            return NO_TABLE;
        }
        Filter filter = filter(table, args.subList(3, args.size()));
        if (filter.error() != null) {
            return filter.error();
        }
        if (session.level().compareTo(Level.OPERATOR) < 0) {
            return "";
        }
        if (filter.key() != null) {
            StickEntry entry = table.lookup(filter.key());
            if (entry != null && filter.matches(entry)) {
                table.clear(entry);
            }
            return "";
        }
        for (StickEntry entry : table.liveEntries()) {
            if (filter.matches(entry)) {
                table.clear(entry);
            }
        }
        return "";
    }

    private static Filter filter(StickTable table, List<String> words) {
        Object key = null;
        List<DataFilter> data = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            String word = words.get(i);
            if (word.equals("key")) {
                if (i + 1 >= words.size()) {
                    return new Filter(null, data, NO_KEY);
                }
                key = table.key(words.get(i + 1));
                if (key == null) {
                    // Not a key of this table's type: nothing matches, and HAProxy answers nothing.
                    return new Filter(null, data, "");
                }
                i += 2;
            } else if (word.startsWith("data.") && data.size() < MAX_DATA_FILTERS) {
                String entry = "Filter entry #" + (data.size() + 1) + ": ";
                StickData type = StickData.byKeyword(word.substring("data.".length()));
                if (type == null) {
                    return new Filter(null, data, entry + "Unknown data type\n");
                }
                if (!table.spec().stores(type)) {
                    return new Filter(null, data, entry + "Data type not stored in this table\n");
                }
                String operator = i + 1 < words.size() ? words.get(i + 1) : "";
                if (!List.of("eq", "ne", "le", "ge", "lt", "gt").contains(operator)) {
                    return new Filter(null, data, entry + "Require and operator among \"eq\", \"ne\", \"le\", "
                            + "\"ge\", \"lt\", \"gt\"\n");
                }
                long value;
                try {
                    value = Long.parseLong(i + 2 < words.size() ? words.get(i + 2) : "");
                } catch (NumberFormatException e) {
                    return new Filter(null, data, entry + "Require a valid integer value to compare against\n");
                }
                data.add(new DataFilter(type, operator, value));
                i += 3;
            } else {
                return new Filter(null, data, BAD_OPTION);
            }
        }
        return new Filter(key, data, null);
    }

    private static void header(StringBuilder out, StickTable table) {
        out.append("# table: ").append(table.name()).append(", type: ")
                .append(table.spec().type().keyword())
                .append(", size:").append(table.spec().size()).append(", used:").append(table.count()).append('\n');
    }

    /** One entry as HAProxy prints it; the address part names the entry, as HAProxy's pointer does. */
    private static void entry(StringBuilder out, StickTable table, StickEntry entry) {
        out.append(String.format("0x%012x", System.identityHashCode(entry))).append(": key=").append(entry.key())
                .append(" use=").append(entry.references());
        long expires = table.expiresInMillis(entry);
        if (expires >= 0) {
            out.append(" exp=").append(expires);
        }
        for (StickData data : PRINT_ORDER) {
            if (table.spec().stores(data)) {
                out.append(' ').append(data.keyword());
                if (data.rate()) {
                    out.append('(').append(table.spec().store().get(data)).append(')');
                }
                out.append('=').append(entry.get(data));
            }
        }
        out.append('\n');
    }
}
