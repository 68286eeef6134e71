package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.GlobalStats;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code stats} keyword: in proxies the stats page ({@code enable}, {@code uri}, {@code auth},
 * {@code realm}, {@code refresh}, {@code admin}, {@code hide-version}, {@code show-legends},
 * {@code show-node}); in {@code global} the runtime API ({@code socket}, {@code timeout}).
 */
final class StatsKeywords {
    private static final Set<String> LEVELS = Set.of("user", "operator", "admin");
    private static final List<String> PROXY_WORDS = List.of("admin", "auth", "enable", "hide-version", "realm",
            "refresh", "show-legends", "show-node", "uri");

    private StatsKeywords() {
    }

    static void proxy(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        StatsDraft stats = draft.stats;
        String word = line.word(1);
        switch (word) {
            case "enable" -> {
                noMore(line, 2);
                stats.enabled = true;
            }
            case "uri" -> {
                stats.uri = Optional.of(required(line, 2, "'stats uri' needs a URI prefix"));
                noMore(line, 3);
            }
            case "realm" -> {
                stats.realm = Optional.of(required(line, 2, "'stats realm' needs a realm"));
                noMore(line, 3);
            }
            case "auth" -> {
                String user = required(line, 2, "'stats auth' needs user:password");
                if (user.indexOf(':') <= 0) {
                    throw new ConfigException("'stats auth' expects user:password (got '" + user + "')");
                }
                noMore(line, 3);
                stats.users.add(user);
            }
            case "refresh" -> {
                stats.refresh = Units.time(required(line, 2, "'stats refresh' needs a delay"));
                noMore(line, 3);
            }
            case "admin" -> {
                if (line.size() < 4 || !(line.word(2).equals("if") || line.word(2).equals("unless"))) {
                    throw new ConfigException("'stats admin' requires either 'if' or 'unless' followed by a condition");
                }
                stats.admin = Optional.of(new Condition(line.location(), line.word(2).equals("unless"), line.from(3)));
            }
            case "hide-version" -> {
                noMore(line, 2);
                stats.hideVersion = true;
            }
            case "show-legends" -> {
                noMore(line, 2);
                stats.showLegends = true;
            }
            case "show-node" -> {
                stats.node = Optional.of(line.size() > 2 ? line.word(2) : "");
                noMore(line, 3);
            }
            case "show-modules" -> {
                noMore(line, 2);
                diagnostics.notice(line.location(), "'stats show-modules' accepted: the page has no extra statistics "
                        + "modules to show (HAProxy's are those of its TLS, HTTP/2 and resolver layers)");
            }
            case "scope", "show-desc", "http-request", "bind-process", "maxconn" ->
                    throw new ConfigException("'stats " + word + "' is not supported yet");
            default -> {
                String close = Suggestions.closest(word, PROXY_WORDS);
                throw new ConfigException("'stats' expects 'admin', 'uri', 'realm', 'auth', 'enable', 'hide-version', "
                        + "'show-node' or 'show-legends' (got '" + word + "')"
                        + (close == null ? "" : "; did you mean '" + close + "'?"));
            }
        }
    }

    static void global(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        String word = line.word(1);
        switch (word) {
            case "socket" -> global.statsSockets.add(socket(line, diagnostics));
            case "timeout" -> {
                global.statsTimeout = Units.time(required(line, 2, "'stats timeout' needs a delay"));
                noMore(line, 3);
            }
            case "maxconn" -> diagnostics.notice(line.location(), "'stats maxconn' accepted but ignored: a runtime "
                    + "API session costs one connection on the balancer's own event loops");
            default -> throw new ConfigException("'stats' in global expects 'socket' or 'timeout' (got '" + word + "')");
        }
    }

    private static GlobalStats.Socket socket(Line line, Diagnostics diagnostics) throws ConfigException {
        String where = required(line, 2, "'stats socket' needs a path or an address");
        String path = null;
        String host = null;
        int port = 0;
        if (where.startsWith("unix@")) {
            path = where.substring("unix@".length());
        } else if (where.startsWith("/") || where.startsWith("./")) {
            path = where;
        } else {
            String hostPort = where.startsWith("ipv4@") ? where.substring(5)
                    : where.startsWith("ipv6@") ? where.substring(5) : where;
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException("'stats socket': '" + where + "' is neither a path nor ADDRESS:PORT");
            }
            host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            port = Units.integer(hostPort.substring(colon + 1), "'stats socket' port", 1, 65_535);
        }
        int mode = -1;
        int uid = -1;
        int gid = -1;
        String level = "admin";
        for (int i = 3; i < line.size(); i++) {
            String option = line.word(i);
            switch (option) {
                case "mode" -> {
                    String octal = required(line, ++i, "'stats socket': 'mode' needs an octal value");
                    try {
                        mode = Integer.parseInt(octal, 8);
                    } catch (NumberFormatException e) {
                        throw new ConfigException("'stats socket': mode '" + octal + "' is not octal");
                    }
                }
                case "level" -> {
                    level = required(line, ++i, "'stats socket': 'level' needs user, operator or admin");
                    if (!LEVELS.contains(level)) {
                        throw new ConfigException("'level' only supports 'user', 'operator', and 'admin' (got '"
                                + level + "')");
                    }
                }
                case "user", "uid" -> uid = owner(line, ++i, option, true);
                case "group", "gid" -> gid = owner(line, ++i, option, false);
                case "expose-fd" -> {
                    String what = required(line, ++i, "'stats socket': 'expose-fd' needs 'listeners'");
                    if (!what.equals("listeners")) {
                        throw new ConfigException("'stats socket': 'expose-fd' only supports 'listeners' (got '"
                                + what + "')");
                    }
                    diagnostics.notice(line.location(), "'expose-fd listeners' accepted: nothing to hand over, a "
                            + "reload keeps the listeners open inside the same sluice-balancer process");
                }
                case "process", "thread", "severity-output" ->
                        throw new ConfigException("'stats socket': '" + option + "' is not supported yet");
                default -> throw new ConfigException("'stats socket': unknown option '" + option
                        + "' (expected: mode, level, user, uid, group, gid, expose-fd)");
            }
        }
        if (path == null && (uid >= 0 || gid >= 0)) {
            diagnostics.warning(line.location(), "'stats socket " + where + "': user/group apply to unix sockets "
                    + "only; ignored");
        }
        return new GlobalStats.Socket(line.location(), path, host, port, mode, level,
                path == null ? GlobalStats.Owner.KEEP : new GlobalStats.Owner(uid, gid));
    }

    /** {@code user NAME}/{@code group NAME} looked up now (so -c reports an unknown one), {@code uid/gid N}. */
    private static int owner(Line line, int index, String option, boolean user) throws ConfigException {
        String value = required(line, index, "'stats socket': '" + option + "' needs a value");
        if (option.equals("uid") || option.equals("gid")) {
            return Units.integer(value, "'stats socket' " + option, 0, Integer.MAX_VALUE);
        }
        try {
            return user ? dev.sluice.common.os.Privileges.userId(value)
                    : dev.sluice.common.os.Privileges.groupId(value);
        } catch (dev.sluice.common.os.Privileges.PrivilegeException e) {
            throw new ConfigException("'stats socket': unknown " + option + " '" + value + "'");
        }
    }

    private static String required(Line line, int index, String message) throws ConfigException {
        if (line.size() <= index) {
            throw new ConfigException(message);
        }
        return line.word(index);
    }

    private static void noMore(Line line, int size) throws ConfigException {
        if (line.size() > size) {
            throw new ConfigException("'stats " + line.word(1) + "' cannot handle unexpected argument '"
                    + line.word(size) + "'");
        }
    }
}
