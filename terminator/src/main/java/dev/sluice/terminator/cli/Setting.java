package dev.sluice.terminator.cli;

import java.util.List;
import java.util.Objects;

/**
 * One {@code key = value} before validation. A block ({@code frontend = { … }},
 * {@code pem-file = { … }}) has {@code value} null and its inner settings in {@code block}.
 */
public record Setting(String key, String value, List<Setting> block, Origin origin) {
    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(origin, "origin");
        block = block == null ? null : List.copyOf(block);
    }

    public static Setting of(String key, String value, Origin origin) {
        return new Setting(key, value, null, origin);
    }

    public boolean isBlock() {
        return block != null;
    }
}
