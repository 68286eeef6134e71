package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import java.nio.file.Path;

/**
 * The {@code global} keywords about loading and starting: {@code default-path} (where relative
 * file names resolve), {@code zero-warning}, {@code [no] strict-limits}, {@code grace} and
 * {@code log-send-hostname}.
 */
final class LoadKeywords {

    private LoadKeywords() {
    }

    static KeywordTable<GlobalDraft> register(KeywordTable<GlobalDraft> table) {
        return table
                .add("default-path", 1, 2, Scope.ALL, LoadKeywords::defaultPath)
                .add("zero-warning", 0, 0, Scope.ALL, (line, global, diagnostics) -> global.zeroWarning = true)
                .add("strict-limits", 0, 0, Scope.ALL, (line, global, diagnostics) ->
                        global.process.strictLimits = true)
                .add("grace", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.process.grace = Units.time(line.word(1)))
                .add("no", 1, 1, Scope.ALL, LoadKeywords::no)
                .add("log-send-hostname", 0, 1, Scope.ALL, LoadKeywords::logSendHostname);
    }

    /**
     * {@code default-path current|config|parent|origin PATH}. HAProxy changes its directory from
     * this line on while it reads each file; we resolve every relative name of the configuration
     * against one directory, so the line must come before the first proxy section (the files those
     * sections name are read against it) and a second line may not name another directory.
     */
    private static void defaultPath(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        String policy = line.word(1);
        Path configDirectory = Path.of(line.location().file()).toAbsolutePath().getParent();
        Path base = switch (policy) {
            case "current" -> {
                noPath(line);
                yield Path.of("").toAbsolutePath();
            }
            case "config" -> {
                noPath(line);
                yield configDirectory;
            }
            case "parent" -> {
                noPath(line);
                yield configDirectory.getParent() == null ? configDirectory : configDirectory.getParent();
            }
            case "origin" -> {
                if (line.size() < 3) {
                    throw new ConfigException("'default-path origin' expects a path");
                }
                yield Path.of("").toAbsolutePath().resolve(line.word(2)).normalize();
            }
            default -> throw new ConfigException("'default-path' expects 'current', 'config', 'parent' or 'origin' "
                    + "(got '" + policy + "')");
        };
        if (global.proxySeen) {
            throw new ConfigException("'default-path' after a proxy section is not supported yet: sluice resolves "
                    + "every relative file name of the configuration against one directory; move it to the first "
                    + "'global' section");
        }
        if (global.defaultPathAt != null && !global.baseDirectory.equals(base)) {
            throw new ConfigException("'default-path' names another directory than the one at "
                    + global.defaultPathAt + " ('" + global.baseDirectory + "'); sluice resolves every relative "
                    + "file name of the configuration against one directory");
        }
        global.baseDirectory = base.normalize();
        global.defaultPathAt = line.location();
        global.defaultPathPolicy = policy;
        global.lastFile = line.location().file();
    }

    /**
     * With {@code config} or {@code parent}, HAProxy changes directory for each file; a later file
     * in another directory would resolve its names elsewhere than we do: refused at its first line.
     */
    static void checkFile(GlobalDraft global, Line line) throws ConfigException {
        String file = line.location().file();
        if (file.equals(global.lastFile)) {
            return;
        }
        String previous = global.lastFile;
        global.lastFile = file;
        if (previous == null || global.defaultPathAt == null
                || !(global.defaultPathPolicy.equals("config") || global.defaultPathPolicy.equals("parent"))) {
            return;
        }
        Path directory = Path.of(file).toAbsolutePath().getParent();
        Path first = Path.of(global.defaultPathAt.file()).toAbsolutePath().getParent();
        if (!directory.equals(first)) {
            throw new ConfigException("'default-path " + global.defaultPathPolicy + "' (" + global.defaultPathAt
                    + ") with files in several directories is not supported yet: sluice resolves every relative "
                    + "file name of the configuration against one directory");
        }
    }

    /** {@code log-send-hostname [NAME]}: without a name, the system's host name (read once, now). */
    private static void logSendHostname(Line line, GlobalDraft global, Diagnostics diagnostics)
            throws ConfigException {
        String name = line.size() > 1 ? line.word(1) : dev.sluice.balancer.stats.ProcessInfo.hostName();
        if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ')) {
            throw new ConfigException("'log-send-hostname' expects a name without spaces (got '" + name + "')");
        }
        global.logHostname = name;
    }

    /** {@code no strict-limits}: the only global keyword here that HAProxy 2.6 lets {@code no} turn off. */
    private static void no(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        if (!line.word(1).equals("strict-limits")) {
            throw new ConfigException("'no " + line.word(1) + "' is not supported in 'global' section (expected: "
                    + "'no strict-limits')");
        }
        global.process.strictLimits = false;
    }

    private static void noPath(Line line) throws ConfigException {
        if (line.size() > 2) {
            throw new ConfigException("'default-path " + line.word(1) + "' takes no path (got '" + line.word(2)
                    + "')");
        }
    }
}
