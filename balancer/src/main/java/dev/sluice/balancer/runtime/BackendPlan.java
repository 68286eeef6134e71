package dev.sluice.balancer.runtime;

import dev.sluice.balancer.lb.Balance;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code backend} (or the back half of a {@code listen}) ready to run.
 *
 * @param retries    extra connection attempts after a failed connect (HAProxy's default is 3)
 * @param redispatch {@code option redispatch}: a retry may pick another server
 * @param forwardFor the backend's {@code option forwardfor}; when enabled it wins over the
 *                   frontend's, as in HAProxy
 * @param errorfiles status code → a complete raw HTTP response, preferred over the frontend's
 * @param balance    {@code balance}, {@code hash-type}, {@code hash-balance-factor}, {@code option allbackups}
 * @param stats      the backend's stats page, if any
 * @param stick      {@code stick on|match|store-request} persistence rules
 * @param rules      the backend's HTTP rules; the same object as its frontend's for a {@code listen} section
 * @param cookie     {@code cookie} persistence, {@link CookiePlan#NONE} when not set
 * @param load       the {@code balance hash} expression and {@code fullconn}
 * @param connectionMode {@code option http-keep-alive|http-server-close|httpclose}
 * @param log        the backend's {@code log} targets (its servers' transitions) and {@code option log-health-checks}
 * @param tuning     originalto, server TCP keep-alive, http-buffer-request
 * @param reuse      {@code http-reuse}: which idle server connections a request may take
 * @param extras     http-error replies, nolinger, http-send-name-header and other small settings
 * @param tcpRules   the backend's {@code tcp-request content} rules, run once the backend is chosen
 *                   (not again for a {@code listen} section, whose frontend half ran them)
 * @param dispatch   retry-on, option redispatch N, option persist, use-server, force-persist, ignore-persist
 */
public record BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                          int retries, boolean redispatch, ForwardFor forwardFor,
                          Map<Integer, byte[]> errorfiles, Balance balance, StatsPage stats,
                          dev.sluice.balancer.stick.StickPersistence stick, dev.sluice.balancer.rules.HttpRules rules,
                          CookiePlan cookie, BackendLoad load, HttpConnectionMode connectionMode,
                          dev.sluice.balancer.log.BackendLogPlan log, ProxyTuning tuning, HttpReuse reuse,
                          ProxyExtras extras, dev.sluice.balancer.stick.TcpRules tcpRules,
                          dev.sluice.balancer.dispatch.DispatchPlan dispatch) {

    /** A plan without retry-on, use-server, force-persist, ignore-persist or option persist. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                       int retries, boolean redispatch, ForwardFor forwardFor,
                       Map<Integer, byte[]> errorfiles, Balance balance, StatsPage stats,
                       dev.sluice.balancer.stick.StickPersistence stick, dev.sluice.balancer.rules.HttpRules rules,
                       CookiePlan cookie, BackendLoad load, HttpConnectionMode connectionMode,
                       dev.sluice.balancer.log.BackendLogPlan log, ProxyTuning tuning, HttpReuse reuse,
                       ProxyExtras extras, dev.sluice.balancer.stick.TcpRules tcpRules) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance, stats, stick, rules,
                cookie, load, connectionMode, log, tuning, reuse, extras, tcpRules,
                dev.sluice.balancer.dispatch.DispatchPlan.DEFAULTS);
    }

    /** A plan without {@code tcp-request content} rules. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                       int retries, boolean redispatch, ForwardFor forwardFor,
                       Map<Integer, byte[]> errorfiles, Balance balance, StatsPage stats,
                       dev.sluice.balancer.stick.StickPersistence stick, dev.sluice.balancer.rules.HttpRules rules,
                       CookiePlan cookie, BackendLoad load, HttpConnectionMode connectionMode,
                       dev.sluice.balancer.log.BackendLogPlan log, ProxyTuning tuning, HttpReuse reuse,
                       ProxyExtras extras) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance, stats, stick, rules,
                cookie, load, connectionMode, log, tuning, reuse, extras, dev.sluice.balancer.stick.TcpRules.NONE);
    }

    /** A plan without {@link ProxyExtras} (http-error replies, nolinger, http-send-name-header). */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                       int retries, boolean redispatch, ForwardFor forwardFor,
                       Map<Integer, byte[]> errorfiles, Balance balance, StatsPage stats,
                       dev.sluice.balancer.stick.StickPersistence stick, dev.sluice.balancer.rules.HttpRules rules,
                       CookiePlan cookie, BackendLoad load, HttpConnectionMode connectionMode,
                       dev.sluice.balancer.log.BackendLogPlan log, ProxyTuning tuning, HttpReuse reuse) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance, stats, stick, rules,
                cookie, load, connectionMode, log, tuning, reuse, ProxyExtras.NONE);
    }

    public static final int DEFAULT_RETRIES = 3;

    /**
     * A plan with HAProxy's defaults for what follows {@code load}: {@code option http-keep-alive},
     * nothing logged about its servers, no {@link ProxyTuning} and {@code http-reuse safe}.
     */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                       int retries, boolean redispatch, ForwardFor forwardFor,
                       Map<Integer, byte[]> errorfiles, Balance balance, StatsPage stats,
                       dev.sluice.balancer.stick.StickPersistence stick, dev.sluice.balancer.rules.HttpRules rules,
                       CookiePlan cookie, BackendLoad load) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance, stats, stick, rules,
                cookie, load, HttpConnectionMode.KEEP_ALIVE, dev.sluice.balancer.log.BackendLogPlan.NONE, ProxyTuning.NONE,
                HttpReuse.SAFE);
    }

    /** A plan without a {@code balance hash} expression or {@code fullconn}. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                       int retries, boolean redispatch, ForwardFor forwardFor,
                       Map<Integer, byte[]> errorfiles, Balance balance, StatsPage stats,
                       dev.sluice.balancer.stick.StickPersistence stick, dev.sluice.balancer.rules.HttpRules rules,
                       CookiePlan cookie) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance, stats, stick, rules,
                cookie, BackendLoad.NONE);
    }

    /** A plan without a stats page, stick rules, HTTP rules or cookie persistence. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles, Balance balance) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance,
                StatsPage.DISABLED, dev.sluice.balancer.stick.StickPersistence.NONE, dev.sluice.balancer.rules.HttpRules.NONE, CookiePlan.NONE);
    }

    /** A plan with only a stats page. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles, Balance balance,
                       StatsPage stats) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance,
                stats, dev.sluice.balancer.stick.StickPersistence.NONE, dev.sluice.balancer.rules.HttpRules.NONE, CookiePlan.NONE);
    }

    /** A plan with only stick rules. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles, Balance balance,
                       dev.sluice.balancer.stick.StickPersistence stick) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance,
                StatsPage.DISABLED, stick, dev.sluice.balancer.rules.HttpRules.NONE, CookiePlan.NONE);
    }

    /** A plan with only HTTP rules. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles, Balance balance,
                       dev.sluice.balancer.rules.HttpRules rules) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance,
                StatsPage.DISABLED, dev.sluice.balancer.stick.StickPersistence.NONE, rules, CookiePlan.NONE);
    }

    /** A plan with only cookie persistence. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles, Balance balance,
                       CookiePlan cookie) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance,
                StatsPage.DISABLED, dev.sluice.balancer.stick.StickPersistence.NONE, dev.sluice.balancer.rules.HttpRules.NONE, cookie);
    }

    /** A plan balanced by {@code roundrobin} with HAProxy's defaults. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, Balance.ROUND_ROBIN);
    }

    /** This plan with {@code http-reuse mode}. */
    public BackendPlan withReuse(HttpReuse mode) {
        return new BackendPlan(name, this.mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance,
                stats, stick, rules, cookie, load, connectionMode, log, tuning, mode, extras, tcpRules, dispatch);
    }

    public BackendPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        servers = List.copyOf(servers);
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(forwardFor, "forwardFor");
        errorfiles = Map.copyOf(errorfiles);
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(stick, "stick");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(cookie, "cookie");
        if (!stick.isEmpty() && stick.serverIds().length != servers.size()) {
            throw new IllegalArgumentException("backend " + name + ": stick rules know " + stick.serverIds().length
                    + " server ids for " + servers.size() + " servers");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("backend " + name + ": retries " + retries + " (expected: >= 0)");
        }
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(connectionMode, "connectionMode");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(reuse, "reuse");
        Objects.requireNonNull(extras, "extras");
        Objects.requireNonNull(tcpRules, "tcpRules");
        Objects.requireNonNull(dispatch, "dispatch");
        if (!tcpRules.connection().isEmpty() || !tcpRules.session().isEmpty()) {
            throw new IllegalArgumentException("backend " + name + ": tcp-request connection and session rules "
                    + "belong to frontends");
        }
        if (balance.algorithm() instanceof Balance.Hash && load.hashKey() == null) {
            throw new IllegalArgumentException("backend " + name + ": 'balance hash' without its compiled expression");
        }
    }
}
