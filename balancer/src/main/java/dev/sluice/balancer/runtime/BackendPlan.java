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
 * @param cookie     {@code cookie} persistence, {@link CookiePlan#NONE} when not set
 */
public record BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts,
                          int retries, boolean redispatch, ForwardFor forwardFor,
                          Map<Integer, byte[]> errorfiles, Balance balance, CookiePlan cookie) {

    public static final int DEFAULT_RETRIES = 3;

    public BackendPlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        servers = List.copyOf(servers);
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(forwardFor, "forwardFor");
        errorfiles = Map.copyOf(errorfiles);
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(cookie, "cookie");
        if (retries < 0) {
            throw new IllegalArgumentException("backend " + name + ": retries " + retries + " (expected: >= 0)");
        }
        if (balance.algorithm() instanceof Balance.Hash) {
            throw new IllegalArgumentException("backend " + name + ": 'balance hash' is not supported yet");
        }
    }

    /** A plan without cookie persistence. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles, Balance balance) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, balance, CookiePlan.NONE);
    }

    /** A plan balanced by {@code roundrobin} with HAProxy's defaults. */
    public BackendPlan(String name, Mode mode, List<ServerPlan> servers, Timeouts timeouts, int retries,
                       boolean redispatch, ForwardFor forwardFor, Map<Integer, byte[]> errorfiles) {
        this(name, mode, servers, timeouts, retries, redispatch, forwardFor, errorfiles, Balance.ROUND_ROBIN);
    }
}
