package dev.sluice.balancer.admin;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.check.CheckResult;
import dev.sluice.balancer.check.TransitionLog;
import dev.sluice.balancer.lb.Candidate;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.stats.StatsRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime API's server commands, answering with HAProxy 2.6's exact texts:
 * {@code set server B/S state ready|drain|maint}, {@code set server B/S weight N[%]}, {@code set weight B/S
 * N[%]}, {@code get weight B/S}, {@code enable|disable server B/S}, {@code enable|disable health B/S},
 * {@code set maxconn server B/S N} and {@code show servers state [B]}.
 *
 * <p>{@link #execute} returns the answer's text; the socket ends every answer with one more empty line, as
 * HAProxy's does (a successful change answers the empty text). Safe to call from any thread: the state
 * changes take the server's lock, and the backend's server set is rebuilt for the event loops to pick up.
 */
public final class ServerAdmin {
    static final String NO_BACKEND = "No such backend.\n";
    static final String NO_SERVER = "No such server.\n";
    static final String REQUIRE_SERVER = "Require 'backend/server'.\n";
    static final String STATE_USAGE = "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
    static final String SET_SERVER_USAGE = "usage: set server <backend>/<server> addr | agent | agent-addr | "
            + "agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n";
    static final String REQUIRE_WEIGHT = "Require <weight> or <weight%>.\n";
    static final String BAD_WEIGHT = "Empty weight string empty or preceded by garbage";
    static final String WEIGHT_RANGE = "Absolute weight can only be between 0 and 256 inclusive.\n";
    static final String NEGATIVE_PERCENT = "Relative weight must be positive.\n";
    static final String BAD_MAXCONN = "maxconn string empty or preceded by garbage";
    static final String REQUIRE_MAXCONN = "Require <maxconn>.\n";
    static final String STATE_VERSION = "1";
    static final String STATE_HEADER = "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state "
            + "srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result "
            + "srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port "
            + "srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port";

    private final Map<String, Backend> backends;
    private final Map<String, Integer> ids;

    /** @param backends the running backends by name, in configuration order (their position is the be_id) */
    public ServerAdmin(Map<String, Backend> backends) {
        this.backends = new LinkedHashMap<>(backends);
        this.ids = new LinkedHashMap<>();
        for (String name : backends.keySet()) {
            ids.put(name, ids.size() + 1);
        }
    }

    /** The backends of a running configuration, numbered as its stats number them (HAProxy's proxy ids). */
    public static ServerAdmin of(StatsRegistry registry) {
        Map<String, Backend> backends = new LinkedHashMap<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (StatsRegistry.ProxyEntry proxy : registry.proxies()) {
            if (proxy.backend() != null) {
                backends.put(proxy.name(), proxy.backend());
                ids.put(proxy.name(), proxy.id());
            }
        }
        return new ServerAdmin(backends, ids);
    }

    private ServerAdmin(Map<String, Backend> backends, Map<String, Integer> ids) {
        this.backends = backends;
        this.ids = ids;
    }

    /**
     * What the stats page's admin form asks for, as the commands do it: {@code ready}, {@code drain},
     * {@code maint}, {@code dhlth}, {@code ehlth}.
     *
     * @return {@code null} when done, else why not
     */
    public String formAction(String backend, String server, String action) {
        String target = backend + "/" + server;
        List<String> command = switch (action) {
            case "ready", "drain", "maint" -> List.of("set", "server", target, "state", action);
            case "dhlth" -> List.of("disable", "health", target);
            case "ehlth" -> List.of("enable", "health", target);
            default -> null;
        };
        if (command == null) {
            return "action '" + action + "' is not supported (ready, drain, maint, dhlth and ehlth are)";
        }
        String answer = execute(command);
        return answer.isEmpty() ? null : answer.strip();
    }

    /** The answer to one command line split in words, or {@code null} when it is not a server command. */
    public String execute(List<String> words) {
        String command = words.size() >= 2 ? words.get(0) + " " + words.get(1) : "";
        return switch (command) {
            case "set server" -> setServer(words);
            case "set weight" -> withServer(words, 2, server -> weight(words, 3, server));
            case "get weight" -> withServer(words, 2, server -> server.state().weight() + " (initial "
                    + server.state().initialWeight() + ")\n");
            case "enable server" -> withServer(words, 2, server -> admin(server, ServerState.Admin.READY));
            case "disable server" -> withServer(words, 2, server -> admin(server, ServerState.Admin.MAINT));
            case "enable health" -> withServer(words, 2, server -> health(server, true));
            case "disable health" -> withServer(words, 2, server -> health(server, false));
            case "set maxconn" -> words.size() >= 3 && words.get(2).equals("server")
                    ? withServer(words, 3, server -> maxconn(words, 4, server)) : null;
            case "show servers" -> words.size() >= 3 && words.get(2).equals("state")
                    ? showState(words.size() > 3 ? words.get(3) : null) : null;
            default -> null;
        };
    }

    private interface ServerCommand {
        String run(Server server);
    }

    /** Finds {@code B/S} at {@code index} and runs the command on it, or answers why not. */
    private String withServer(List<String> words, int index, ServerCommand command) {
        if (words.size() <= index) {
            return REQUIRE_SERVER;
        }
        String target = words.get(index);
        int slash = target.indexOf('/');
        if (slash < 0) {
            return REQUIRE_SERVER;
        }
        Backend backend = backends.get(target.substring(0, slash));
        if (backend == null) {
            return NO_BACKEND;
        }
        Server server = backend.server(target.substring(slash + 1));
        if (server == null) {
            return NO_SERVER;
        }
        return command.run(server);
    }

    private String setServer(List<String> words) {
        return withServer(words, 2, server -> {
            String what = words.size() > 3 ? words.get(3) : "";
            return switch (what) {
                case "state" -> {
                    String value = words.size() > 4 ? words.get(4) : "";
                    yield switch (value) {
                        case "ready" -> admin(server, ServerState.Admin.READY);
                        case "drain" -> admin(server, ServerState.Admin.DRAIN);
                        case "maint" -> admin(server, ServerState.Admin.MAINT);
                        default -> STATE_USAGE;
                    };
                }
                case "weight" -> weight(words, 4, server);
                case "addr" -> AddressCommand.apply(server, words.subList(4, words.size()));
                default -> SET_SERVER_USAGE;
            };
        });
    }

    private String admin(Server server, ServerState.Admin target) {
        ServerState state = server.state();
        ServerState.Admin before = state.admin();
        if (state.setAdmin(target)) {
            Backend backend = backendOf(server);
            backend.refresh();
            String what = switch (target) {
                case MAINT -> "is going DOWN for maintenance";
                case DRAIN -> "enters drain state";
                case READY -> "is UP/READY (leaving forced " + (before == ServerState.Admin.MAINT ? "maintenance"
                        : "drain") + ")";
            };
            TransitionLog.admin(backend, server, what);
        }
        return "";
    }

    private String weight(List<String> words, int index, Server server) {
        if (words.size() <= index) {
            return REQUIRE_WEIGHT;
        }
        String text = words.get(index);
        boolean percent = text.endsWith("%");
        String digits = percent ? text.substring(0, text.length() - 1) : text;
        int value;
        try {
            value = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return BAD_WEIGHT;
        }
        int weight;
        if (percent) {
            if (value < 0) {
                return NEGATIVE_PERCENT;
            }
            // A share of the initial weight, capped at the highest weight (150% of 200 is 256).
            weight = (int) Math.min(Candidate.MAX_WEIGHT, (long) server.state().initialWeight() * value / 100);
        } else {
            if (value < 0 || value > Candidate.MAX_WEIGHT) {
                return WEIGHT_RANGE;
            }
            weight = value;
        }
        if (server.state().setWeight(weight)) {
            backendOf(server).refresh();
        }
        return "";
    }

    private String health(Server server, boolean enable) {
        // HAProxy refuses to enable checks a server lacks, but quietly accepts disabling them.
        if (!server.state().checkConfigured() && !enable) {
            return "";
        }
        if (!server.state().checkConfigured()) {
            return "Health check was not configured on this server, cannot " + (enable ? "enable" : "disable")
                    + ".\n";
        }
        if (server.state().setChecksEnabled(enable)) {
            backendOf(server).refresh();
        }
        return "";
    }

    private String maxconn(List<String> words, int index, Server server) {
        if (words.size() <= index) {
            return REQUIRE_MAXCONN;
        }
        try {
            int value = Integer.parseInt(words.get(index));
            if (value < 0) {
                // HAProxy 2.6 accepts a negative maxconn with no defined meaning; we refuse it.
                return BAD_MAXCONN;
            }
            server.setMaxconn(value);
            return "";
        } catch (NumberFormatException e) {
            return BAD_MAXCONN;
        }
    }

    private String showState(String only) {
        if (only != null && !backends.containsKey(only)) {
            return "Can't find backend.\n";
        }
        StringBuilder out = new StringBuilder(STATE_VERSION).append('\n').append(STATE_HEADER).append('\n');
        for (Map.Entry<String, Backend> entry : backends.entrySet()) {
            if (only != null && !only.equals(entry.getKey())) {
                continue;
            }
            for (Server server : entry.getValue().servers()) {
                stateLine(out, ids.get(entry.getKey()), entry.getKey(), entry.getValue(), server);
            }
        }
        return out.toString();
    }

    private static void stateLine(StringBuilder out, int backendId, String name, Backend backend, Server server) {
        ServerState state = server.state();
        ServerHealth health = server.plan().health();
        CheckResult last = state.lastCheck();
        int result = last.status() == dev.sluice.balancer.check.CheckStatus.INI ? 0 : last.passed() ? 3 : 2;
        out.append(backendId).append(' ').append(name).append(' ')
                .append(backend.candidate(server).id()).append(' ').append(server.name()).append(' ')
                .append(server.address().getAddress().isAnyLocalAddress() ? "-"
                        : server.address().getAddress().getHostAddress()).append(' ')
                .append(state.operationalCode()).append(' ').append(state.adminCode()).append(' ')
                .append(state.userWeight()).append(' ').append(state.initialWeight()).append(' ')
                .append(state.secondsSinceLastChange()).append(' ').append(last.status().code()).append(' ')
                .append(result).append(' ').append(state.health()).append(' ').append(state.checkStateCode())
                .append(" 0 0 ").append(server.plan().id() != 0 ? 1 : 0).append(' ')
                .append(server.plan().resolution().fqdn().isEmpty() || server.plan().resolution().srv() ? "-"
                        : server.plan().resolution().fqdn()).append(' ')
                .append(server.address().getPort()).append(' ')
                .append(server.plan().resolution().srv() ? server.plan().resolution().fqdn() : "-")
                .append(server.plan().tls().enabled() ? " 1 " : " 0 ") // srv_use_ssl
                .append(health.port()).append(' ')
                .append(health.address() == null ? "-" : health.address().getHostAddress()).append(" - 0\n");
    }

    private Backend backendOf(Server server) {
        for (Backend backend : backends.values()) {
            if (backend.servers().contains(server)) {
                return backend;
            }
        }
        throw new IllegalStateException("server " + server.name() + " belongs to no backend");
    }
}
