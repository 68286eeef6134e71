package dev.sluice.terminator.cli;

import java.util.List;

/** Everything wrong with a configuration, each line naming file:line or --flag. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public static ConfigException at(Origin origin, String problem) {
        return new ConfigException(List.of(origin + ": " + problem));
    }

    public List<String> problems() {
        return problems;
    }
}
