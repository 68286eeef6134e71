package dev.sluice.balancer.stats;

import java.util.List;
import java.util.Set;

/** The stats lines as HAProxy writes them: CSV, typed ({@code show stat typed}) and JSON ({@code ;json}). */
public final class StatsFormats {
    /** Fields that hold text; every other field is a number. */
    private static final Set<StatField> TEXT = Set.of(StatField.PXNAME, StatField.SVNAME, StatField.STATUS,
            StatField.CHECK_STATUS, StatField.CHECK_DESC, StatField.AGENT_STATUS, StatField.AGENT_DESC,
            StatField.ADDR, StatField.COOKIE, StatField.MODE, StatField.ALGO, StatField.TRACKED);

    private StatsFormats() {
    }

    public static String csv(List<StatRow> rows) {
        StringBuilder out = new StringBuilder(StatField.csvHeader());
        for (StatRow row : rows) {
            row.appendCsv(out);
        }
        return out.toString();
    }

    /** {@code show stat typed}: {@code F.iid.sid.pos.name.1:TAGS:type:value}, one field a line, empty fields left out. */
    public static String typed(List<StatRow> rows) {
        StringBuilder out = new StringBuilder();
        for (StatRow row : rows) {
            for (StatField field : StatField.values()) {
                String value = row.get(field);
                if (value.isEmpty()) {
                    continue;
                }
                out.append(row.kind().letter()).append('.').append(row.get(StatField.IID)).append('.')
                        .append(row.get(StatField.SID)).append('.').append(field.ordinal()).append('.')
                        .append(field.csvName()).append(".1:").append(tags(field)).append(':')
                        .append(type(field)).append(':').append(value).append('\n');
            }
        }
        return out.toString();
    }

    /** HAProxy's typed JSON: an array per line of objects, each field with its position, tags and typed value. */
    public static String json(List<StatRow> rows) {
        StringBuilder out = new StringBuilder("[");
        boolean firstRow = true;
        for (StatRow row : rows) {
            out.append(firstRow ? "" : ",").append('[');
            firstRow = false;
            boolean first = true;
            for (StatField field : StatField.values()) {
                String value = row.get(field);
                if (value.isEmpty()) {
                    continue;
                }
                out.append(first ? "" : ",");
                first = false;
                boolean text = TEXT.contains(field);
                out.append("{\"objType\":\"").append(row.kind().jsonName()).append("\",\"proxyId\":")
                        .append(row.get(StatField.IID)).append(",\"id\":").append(row.get(StatField.SID))
                        .append(",\"field\":{\"pos\":").append(field.ordinal()).append(",\"name\":\"")
                        .append(field.csvName()).append("\"},\"processNum\":1,\"tags\":{\"origin\":\"")
                        .append(origin(field)).append("\",\"nature\":\"").append(nature(field))
                        .append("\",\"scope\":\"Process\"},\"value\":{\"type\":\"").append(type(field))
                        .append("\",\"value\":");
                if (text) {
                    jsonString(out, value);
                } else {
                    out.append(value);
                }
                out.append("}}");
            }
            out.append(']');
        }
        return out.append("]\n").toString();
    }

    static void jsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String type(StatField field) {
        if (TEXT.contains(field)) {
            return "str";
        }
        return switch (field) {
            case LASTSESS -> "s32";
            case SCUR, SMAX, SLIM, QCUR, QMAX, RATE, RATE_MAX, REQ_RATE, REQ_RATE_MAX, WEIGHT, ACT, BCK, IID, SID,
                 PID, TYPE, QTIME, CTIME, RTIME, TTIME, LASTCHG, UWEIGHT -> "u32";
            default -> "u64";
        };
    }

    private static String origin(StatField field) {
        return switch (field) {
            case PXNAME, SVNAME, IID, SID, PID, TYPE -> "Key";
            case SLIM, WEIGHT, UWEIGHT, MODE, ALGO, ADDR, RATE_LIM -> "Config";
            case STATUS, CHECK_STATUS -> "Status";
            default -> "Metric";
        };
    }

    private static String nature(StatField field) {
        return switch (field) {
            case PXNAME, SVNAME -> "Name";
            case IID, SID, PID -> "Key";
            case SMAX, QMAX, RATE_MAX, REQ_RATE_MAX, CONN_RATE_MAX -> "Max";
            case SLIM, RATE_LIM -> "Limit";
            case SCUR, QCUR, RATE, REQ_RATE, CONN_RATE, WEIGHT, UWEIGHT, ACT, BCK -> "Gauge";
            case LASTSESS, LASTCHG -> "Age";
            case QTIME, CTIME, RTIME, TTIME -> "Avg";
            case STATUS, CHECK_STATUS, MODE, ALGO, ADDR, TYPE -> "Output";
            default -> "Counter";
        };
    }

    private static String tags(StatField field) {
        return origin(field).charAt(0) + "" + nature(field).charAt(0) + "P";
    }
}
