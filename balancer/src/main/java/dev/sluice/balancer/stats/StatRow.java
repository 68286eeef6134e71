package dev.sluice.balancer.stats;

import java.util.Arrays;

/**
 * One line of the stats: a frontend, backend or server, with each {@link StatField} as text
 * ({@code ""} where HAProxy leaves the field empty for that kind of line).
 */
public final class StatRow {
    /** HAProxy's {@code type} field: 0 frontend, 1 backend, 2 server. */
    public enum Kind {
        FRONTEND("F", "Frontend"), BACKEND("B", "Backend"), SERVER("S", "Server");

        private final String letter;
        private final String jsonName;

        Kind(String letter, String jsonName) {
            this.letter = letter;
            this.jsonName = jsonName;
        }

        public String letter() {
            return letter;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    private final Kind kind;
    private final String[] values = new String[StatField.values().length];

    StatRow(Kind kind) {
        this.kind = kind;
        Arrays.fill(values, "");
    }

    public Kind kind() {
        return kind;
    }

    public String get(StatField field) {
        return values[field.ordinal()];
    }

    /** The field as a number, or {@code fallback} when it is empty or not a number. */
    public long number(StatField field, long fallback) {
        String value = values[field.ordinal()];
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    StatRow set(StatField field, String value) {
        values[field.ordinal()] = value;
        return this;
    }

    StatRow set(StatField field, long value) {
        values[field.ordinal()] = Long.toString(value);
        return this;
    }

    /** HAProxy's CSV line: every field, the {@code -} column, the module fields, a trailing comma. */
    public void appendCsv(StringBuilder out) {
        for (String value : values) {
            out.append(csv(value)).append(',');
        }
        out.append("-,");
        for (int i = 0; i < StatField.MODULE_FIELDS.length; i++) {
            // Modules we do not have report zeros on proxies, nothing on servers (SSL aside), as HAProxy does.
            out.append(kind != Kind.SERVER || i < 3 ? "0" : "").append(',');
        }
        out.append('\n');
    }

    private static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
