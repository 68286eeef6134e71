package dev.sluice.terminator.cli;

import java.nio.file.Path;

/** Where a setting came from: a config file line or a command-line flag, as error messages name it. */
public record Origin(Path file, int line, String flag) {

    public static Origin file(Path file, int line) {
        return new Origin(file, line, null);
    }

    public static Origin flag(String flag) {
        return new Origin(null, 0, flag);
    }

    public boolean fromFile() {
        return file != null;
    }

    @Override
    public String toString() {
        return fromFile() ? file + ":" + line : flag;
    }
}
