package dev.sluice.balancer.admin;

import dev.sluice.balancer.runtime.StatsPlan.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The runtime API's command table: command words → handler, with the level a session needs and
 * the line {@code help} prints. Other parts register their commands with one {@link #register}
 * call each; the dispatcher ({@link CliSession}) checks the level before a handler runs.
 */
public final class CliCommands {
    /** HAProxy pads a command's usage to this width in {@code help}. */
    static final int USAGE_WIDTH = 40;

    /**
     * Runs one command.
     *
     * @param args every word of the command line, the command's own words included
     * @return the reply, each line ending with a newline ({@code ""} for none)
     */
    @FunctionalInterface
    public interface Handler {
        String run(CliSession session, List<String> args);
    }

    /** One registered command. */
    public record Command(List<String> words, Level level, String usage, String help, Handler handler) {
        public Command {
            words = List.copyOf(words);
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(help, "help");
            Objects.requireNonNull(handler, "handler");
        }

        /** The line {@code help} prints for it. */
        public String helpLine() {
            StringBuilder line = new StringBuilder("  ").append(usage);
            while (line.length() < USAGE_WIDTH + 2) {
                line.append(' ');
            }
            return line.append(": ").append(help).append('\n').toString();
        }
    }

    private final List<Command> commands = new ArrayList<>();

    /**
     * Adds a command.
     *
     * @param words the words that name it, space-separated ({@code "set server"})
     * @param usage how {@code help} shows its syntax ({@code "set server <bk>/<srv> [opts]"})
     */
    public CliCommands register(String words, Level level, String usage, String help, Handler handler) {
        List<String> split = List.of(words.split(" "));
        for (Command command : commands) {
            if (command.words().equals(split)) {
                throw new IllegalStateException("command '" + words + "' registered twice");
            }
        }
        commands.add(new Command(split, level, usage, help, handler));
        return this;
    }

    /** The command whose words start {@code args}, the longest such, or null. */
    public Command find(List<String> args) {
        Command best = null;
        for (Command command : commands) {
            List<String> words = command.words();
            if (words.size() <= args.size() && args.subList(0, words.size()).equals(words)
                    && (best == null || words.size() > best.words().size())) {
                best = command;
            }
        }
        return best;
    }

    /** The commands a session at {@code level} may run, in registration order. */
    public List<Command> allowed(Level level) {
        // Sorted by their words, as HAProxy lists them.
        return commands.stream().filter(c -> c.level().compareTo(level) <= 0)
                .sorted(java.util.Comparator.comparing(c -> String.join(" ", c.words()))).toList();
    }
}
