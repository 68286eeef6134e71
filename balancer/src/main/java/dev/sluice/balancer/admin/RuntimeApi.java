package dev.sluice.balancer.admin;

import dev.sluice.balancer.runtime.StatsPlan.Level;
import dev.sluice.balancer.stats.ProcessInfo;
import dev.sluice.balancer.stats.ServerActions;
import dev.sluice.balancer.stats.StatField;
import dev.sluice.balancer.stats.StatRow;
import dev.sluice.balancer.stats.StatRows;
import dev.sluice.balancer.stats.StatsFormats;
import dev.sluice.balancer.stats.StatsRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runtime API's built-in commands (HAProxy's syntax and replies): {@code help}, {@code prompt},
 * {@code quit}, {@code show info}, {@code show stat}, {@code show servers state}, {@code show cli
 * level}, {@code user}, {@code operator}, and {@link ServerAdmin}'s server commands ({@code set
 * server}, {@code get weight}, {@code enable|disable server|health}, {@code set maxconn server},
 * {@code show servers state}); more can be registered on {@link #commands()} (the stick-table
 * commands are, by {@link TableCommands}).
 */
public final class RuntimeApi {
    private final StatsRegistry registry;
    private final CliCommands commands = new CliCommands();
    private final ServerAdmin servers;

    public RuntimeApi(StatsRegistry registry) {
        this.registry = registry;
        this.servers = ServerAdmin.of(registry);
        CliCommands.Handler server = (session, args) -> servers.execute(args);
        commands
                .register("disable health", Level.ADMIN, "disable health", "disable health checks", server)
                .register("disable server", Level.ADMIN, "disable server (DEPRECATED)",
                        "disable a server for maintenance (use 'set server' instead)", server)
                .register("enable health", Level.ADMIN, "enable health", "enable health checks", server)
                .register("enable server", Level.ADMIN, "enable server  (DEPRECATED)",
                        "enable a disabled server (use 'set server' instead)", server)
                .register("get weight", Level.USER, "get weight <bk>/<srv>", "report a server's current weight", server)
                .register("set maxconn server", Level.ADMIN, "set maxconn server <bk>/<srv>",
                        "change a server's maxconn setting", server)
                .register("set server", Level.ADMIN, "set server <bk>/<srv> [opts]",
                        "change a server's state, weight, address or ssl", server)
                .register("set weight", Level.ADMIN, "set weight <bk>/<srv>  (DEPRECATED)",
                        "change a server's weight (use 'set server' instead)", server)
                .register("show servers state", Level.USER, "show servers state [<backend>]",
                        "dump volatile server information (all or for a single backend)", server);
        commands
                .register("operator", Level.OPERATOR, "operator",
                        "lower the level of the current CLI session to operator", (s, a) -> {
                            s.lowerTo(Level.OPERATOR);
                            return "";
                        })
                .register("show cli level", Level.USER, "show cli level",
                        "display the level of the current CLI session",
                        (s, a) -> s.level().name().toLowerCase() + "\n")
                .register("show info", Level.USER, "show info [desc|json|typed|float]*",
                        "report information about the running process", (s, a) -> showInfo())
                .register("show stat", Level.USER, "show stat [desc|json|no-maint|typed|up]*",
                        "report counters for each proxy and server", (s, a) -> showStat(a))
                .register("user", Level.USER, "user", "lower the level of the current CLI session to user", (s, a) -> {
                    s.lowerTo(Level.USER);
                    return "";
                })
                .register("help", Level.USER, "help [<command>]", "list matching or all commands", RuntimeApi::help)
                .register("prompt", Level.USER, "prompt", "toggle interactive mode with prompt", (s, a) -> {
                    s.togglePrompt();
                    return "";
                })
                .register("quit", Level.USER, "quit", "disconnect", (s, a) -> {
                    s.quit();
                    return "";
                });
    }

    /** The command table, for registering more commands (one {@link CliCommands#register} call each). */
    public CliCommands commands() {
        return commands;
    }

    /** What the stats page's admin form does (drain, maint, ready, health on/off): the server commands. */
    public ServerActions formActions() {
        return servers::formAction;
    }

    /** A new session handler at {@code level}. */
    public CliSession newSession(Level level) {
        return new CliSession(commands, level);
    }

    private static String help(CliSession session, List<String> args) {
        List<CliCommands.Command> allowed = session.commandsAllowed();
        StringBuilder reply = new StringBuilder("The following commands are valid at this level:\n");
        List<String> filter = args.subList(1, args.size());
        List<CliCommands.Command> tail = new ArrayList<>();
        for (CliCommands.Command command : allowed) {
            if (CliSession.tail(command)) {
                tail.add(command);
            } else if (filter.isEmpty() || command.words().subList(0, Math.min(filter.size(), command.words().size()))
                    .equals(filter.subList(0, Math.min(filter.size(), command.words().size())))) {
                reply.append(command.helpLine());
            }
        }
        for (CliCommands.Command command : tail) {
            reply.append(command.helpLine());
        }
        return reply.toString();
    }

    private String showInfo() {
        StringBuilder reply = new StringBuilder();
        for (Map.Entry<String, String> line : ProcessInfo.lines(registry, System.nanoTime())) {
            reply.append(line.getKey()).append(": ").append(line.getValue()).append('\n');
        }
        return reply.toString();
    }

    /** {@code show stat [<iid> <type> <sid>] [typed|json|up|no-maint]}; type is a mask: 1 frontend, 2 backend, 4 server. */
    private String showStat(List<String> args) {
        int iid = -1;
        int types = -1;
        int sid = -1;
        boolean typed = false;
        boolean json = false;
        boolean upOnly = false;
        boolean noMaint = false;
        List<String> options = args.subList(2, args.size());
        int numbers = 0;
        for (String option : options) {
            switch (option) {
                case "typed" -> typed = true;
                case "json" -> json = true;
                case "up" -> upOnly = true;
                case "no-maint" -> noMaint = true;
                case "desc" -> {
                }
                default -> {
                    int value;
                    try {
                        value = Integer.parseInt(option);
                    } catch (NumberFormatException e) {
                        return "Unknown proxy or option '" + option + "'.\n";
                    }
                    switch (numbers++) {
                        case 0 -> iid = value;
                        case 1 -> types = value;
                        case 2 -> sid = value;
                        default -> {
                            return "Too many arguments.\n";
                        }
                    }
                }
            }
        }
        List<StatRow> selected = new ArrayList<>();
        for (StatRow row : StatRows.rows(registry, System.nanoTime())) {
            int kindBit = 1 << row.kind().ordinal();
            String status = row.get(StatField.STATUS);
            if ((iid != -1 && row.number(StatField.IID, 0) != iid)
                    || (types != -1 && (types & kindBit) == 0)
                    || (sid != -1 && row.kind() == StatRow.Kind.SERVER && row.number(StatField.SID, 0) != sid)
                    || (row.kind() == StatRow.Kind.SERVER && upOnly && (status.startsWith("DOWN") || status.startsWith("MAINT")))
                    || (row.kind() == StatRow.Kind.SERVER && noMaint && status.startsWith("MAINT"))) {
                continue;
            }
            selected.add(row);
        }
        if (typed) {
            return StatsFormats.typed(selected);
        }
        if (json) {
            return StatsFormats.json(selected);
        }
        return StatsFormats.csv(selected);
    }
}
