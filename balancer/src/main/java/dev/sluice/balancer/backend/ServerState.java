package dev.sluice.balancer.backend;

import dev.sluice.balancer.check.CheckResult;
import dev.sluice.balancer.check.CheckStatus;
import dev.sluice.balancer.runtime.ServerHealth;
import dev.sluice.balancer.runtime.ServerObserve;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A server's live state, as HAProxy keeps it: the operational state driven by one rise/fall counter
 * ({@code health}: 0..rise-1 is DOWN, rise..rise+fall-1 is UP; a success while DOWN counts up and jumps to
 * the top at {@code rise}, a failure while UP counts down and drops to 0 below {@code rise}), the admin
 * state the runtime API sets, the runtime weight, and the slowstart ramp.
 *
 * <p>HAProxy 2.6 starts a checked server UP with {@code health = rise}: it takes traffic at once, but its
 * first failed check takes it DOWN (and checks run at {@code fastinter} until it is fully up).
 *
 * <p>Changes happen under this object's lock (checks on one event loop, admin commands on another
 * thread); the request path reads only the volatile results ({@link #usable()}, {@link #weight()}).
 * Every method that changes what the load balancer sees returns true so the caller rebuilds the
 * backend's server set.
 */
public final class ServerState {

    /** The admin state, as {@code set server … state} sets it. */
    public enum Admin { READY, DRAIN, MAINT }

    /** What a check result did to the operational state. */
    public enum Transition { NONE, WENT_UP, WENT_DOWN }

    /** How often the slowstart ramp recomputes the weight at most (HAProxy steps about once a second). */
    static final long RAMP_STEP_MILLIS = 1_000;
    /** HAProxy divides slowstart into this many steps when it is long. */
    static final int RAMP_STEPS = 20;

    private final ServerHealth config;
    private final int initialWeight;
    private final boolean checkConfigured;
    private final LongSupplier nanoClock;

    private int health;
    private boolean up = true;
    private Admin admin;
    private boolean configDisabled;
    private boolean checksEnabled;
    private int userWeight;
    private long rampStartNanos;
    private boolean ramping;
    private long lastChangeNanos;
    private long failedChecks;
    private long downTransitions;
    private long downNanos;
    private long downSinceNanos;
    private int consecutiveErrors;
    private long observedFailures;
    /** HAProxy's resolution maintenance (RMAINT): DNS has no address for the server now. */
    private boolean resolutionMaint;

    private volatile boolean usable;
    private volatile boolean persistent;
    private volatile int effectiveWeight;
    private volatile CheckResult lastCheck;
    /** {@code track}: the checked server at the end of the chain (null when none), and the tracked one's name. */
    private ServerState tracked;
    private String trackedVia;
    /** agent-check: configured, whether its last health word was down (HAProxy's agent health 0), its last result. */
    private boolean agentEnabled;
    private boolean agentDown;
    private volatile CheckResult lastAgent = new CheckResult(CheckStatus.INI, 0, "", 0);

    /**
     * @param weight    the configured weight
     * @param disabled  {@code disabled}: starts in maintenance
     * @param nanoClock the time source (a fake one in tests)
     */
    public ServerState(int weight, boolean disabled, ServerHealth config, LongSupplier nanoClock) {
        this.config = config;
        this.initialWeight = weight;
        this.checkConfigured = config.check();
        this.nanoClock = nanoClock;
        // As HAProxy: a server disabled in the config starts in maintenance, stopped, with no health.
        this.health = disabled ? 0 : config.rise();
        this.up = !disabled;
        this.admin = disabled ? Admin.MAINT : Admin.READY;
        this.configDisabled = disabled;
        this.checksEnabled = checkConfigured;
        this.userWeight = weight;
        this.lastChangeNanos = nanoClock.getAsLong();
        this.downSinceNanos = disabled ? lastChangeNanos : -1;
        this.lastCheck = new CheckResult(CheckStatus.INI, 0, "", 0);
        publish();
    }

    /** Applies one check's result; the transition tells the caller what to log. */
    public synchronized Transition record(CheckResult result) {
        lastCheck = result;
        if (!checksEnabled) {
            return Transition.NONE;
        }
        int top = config.rise() + config.fall() - 1;
        if (result.passed()) {
            if (health < top) {
                health++;
                if (health >= config.rise()) {
                    health = top;
                }
            }
            if (!up && health >= config.rise() && !agentDown) { // an agent that said down keeps it down
                up = true;
                changed(true);
                return Transition.WENT_UP;
            }
        } else if (health > 0) {
            failedChecks++;
            health--;
            if (health < config.rise()) {
                health = 0;
            }
            if (up && health == 0) {
                up = false;
                downTransitions++;
                changed(false);
                return Transition.WENT_DOWN;
            }
        }
        return Transition.NONE;
    }

    /** {@code agent-check}: this server has an agent. */
    public synchronized void enableAgent() {
        agentEnabled = true;
    }

    public synchronized boolean agentEnabled() {
        return agentEnabled;
    }

    /** Whether the agent's last health word took the server down (HAProxy's agent health 0). */
    public synchronized boolean agentDown() {
        return agentDown;
    }

    /** The agent's last result ({@code INI} before the first). */
    public CheckResult lastAgent() {
        return lastAgent;
    }

    /**
     * The agent's verdict: {@code healthUp} null when its reply announced no health (or it could not be reached,
     * which HAProxy never lets take a server down). "up" restores the check's health, "down", "stopped" and
     * "fail" take the server down until the agent says "up" again.
     */
    public synchronized Transition agentResult(CheckResult result, Boolean healthUp) {
        lastAgent = result;
        if (healthUp == null) {
            return Transition.NONE;
        }
        agentDown = !healthUp;
        if (checkConfigured) {
            health = healthUp ? config.rise() + config.fall() - 1 : 0;
        }
        if (!healthUp && up) {
            up = false;
            changed(false);
            return Transition.WENT_DOWN;
        }
        if (healthUp && !up && admin != Admin.MAINT) {
            up = true;
            changed(true);
            return Transition.WENT_UP;
        }
        return Transition.NONE;
    }

    /** Makes this server follow {@code root}'s state ({@code track}); {@code via} names the tracked server. */
    public synchronized void track(ServerState root, String via) {
        tracked = root;
        trackedVia = via;
    }

    /** The tracked server, as HAProxy names it ({@code be/srv}), or null. */
    public synchronized String trackedVia() {
        return trackedVia;
    }

    /**
     * {@code track}: takes the tracked chain's state (running unless its end is down or in maintenance); the
     * transition tells the caller what to rebuild and log.
     */
    public synchronized Transition follow() {
        if (tracked == null) {
            return Transition.NONE;
        }
        boolean rootUp = tracked.up() && tracked.admin() != Admin.MAINT;
        if (rootUp == up) {
            return Transition.NONE;
        }
        up = rootUp;
        changed(rootUp);
        return rootUp ? Transition.WENT_UP : Transition.WENT_DOWN;
    }

    /** The health words of this (checked) server for a server in state {@code running}: HAProxy's stats show a
     * tracking server with the checked server's counters. */
    private synchronized String healthWords(boolean running) {
        int top = config.rise() + config.fall() - 1;
        if (!checksEnabled) {
            return "no check";
        }
        if (running) {
            return health < top ? "UP " + (health - config.rise() + 1) + "/" + config.fall() : "UP";
        }
        return health > 0 ? "DOWN " + health + "/" + config.rise() : "DOWN";
    }

    /**
     * Passive health ({@code observe}): one event of live traffic to this server. Errors in a row up
     * to {@code error-limit} trigger {@code on-error}, which acts as a failed check would (the count
     * then starts again); a success clears the count. Returns the result that was recorded, or null
     * when the event triggered nothing; the caller then refreshes, logs and brings the next check
     * forward to {@code fastinter}, as HAProxy does for every action.
     */
    public synchronized Observed observed(ServerObserve.Event event) {
        ServerObserve observe = config.observe();
        Boolean error = event.judgedBy(observe.layer());
        if (error == null || !checksEnabled) {
            return null;
        }
        if (!error) {
            consecutiveErrors = 0;
            return null;
        }
        if (++consecutiveErrors < observe.errorLimit()) {
            return null;
        }
        CheckResult result = new CheckResult(CheckStatus.HANA, 0, "Detected " + consecutiveErrors
                + " consecutive errors, last one was: " + event.description(), 0);
        consecutiveErrors = 0;
        observedFailures++;
        int rise = config.rise();
        Transition transition = switch (observe.onError()) {
            case FASTINTER -> Transition.NONE;
            case FAIL_CHECK -> record(result);
            case SUDDEN_DEATH -> {
                // One failure short of DOWN: the next failed check (or trigger) takes it down.
                if (health > rise) {
                    health = rise + 1;
                }
                yield record(result);
            }
            case MARK_DOWN -> {
                health = Math.min(health, rise);
                yield record(result);
            }
        };
        return new Observed(result, transition);
    }

    /** What a triggered {@code on-error} recorded, and the state change it caused. */
    public record Observed(CheckResult result, Transition transition) {
    }

    /** Whether live traffic is judged ({@code observe layer4|layer7}). */
    public boolean observing() {
        return config.observe().enabled();
    }

    /** Times live traffic triggered {@code on-error} (HAProxy's {@code hanafail}). */
    public synchronized long observedFailures() {
        return observedFailures;
    }

    /** HAProxy's choice of the next check delay: inter when stable UP, downinter when fully DOWN, else fastinter. */
    public synchronized Duration nextInterval() {
        if (health == config.rise() + config.fall() - 1) {
            return config.inter();
        }
        if (!up && health == 0) {
            return config.downinter();
        }
        return config.fastinter();
    }

    /** Sets the admin state; true when it changed. Leaving maintenance restarts like a fresh server. */
    public synchronized boolean setAdmin(Admin newAdmin) {
        configDisabled = false;
        if (newAdmin == admin) {
            return false;
        }
        boolean leavingMaint = admin == Admin.MAINT;
        admin = newAdmin;
        if (leavingMaint) {
            // Checked servers come back UP but must survive their next check; an unchecked server's
            // health is only shown, and HAProxy leaves it at the 0 maintenance set.
            if (checkConfigured) {
                health = checksEnabled ? config.rise() : config.rise() + config.fall() - 1;
            }
            up = true;
            changed(true);
        } else if (newAdmin == Admin.MAINT) {
            // Maintenance stops the server, as HAProxy shows it (operational state 0, health 0).
            health = 0;
            up = false;
            changed(false);
        } else {
            lastChangeNanos = nanoClock.getAsLong();
            publish();
        }
        return true;
    }

    /**
     * Enters or leaves maintenance for want of an address (HAProxy's {@code MAINT (resolution)}): while in it
     * the server is stopped as in maintenance; leaving it restarts the server like leaving maintenance, unless
     * an admin maintenance holds it. True when it changed.
     */
    public synchronized boolean setResolutionMaint(boolean maint) {
        if (maint == resolutionMaint) {
            return false;
        }
        resolutionMaint = maint;
        if (maint) {
            health = 0;
            up = false;
            changed(false);
        } else if (admin != Admin.MAINT) {
            if (checkConfigured) {
                health = checksEnabled ? config.rise() : config.rise() + config.fall() - 1;
            }
            up = true;
            changed(true);
        } else {
            publish();
        }
        return true;
    }

    public synchronized boolean resolutionMaint() {
        return resolutionMaint;
    }

    /** Sets the runtime weight (0..256); true when the effective weight changed. */
    public synchronized boolean setWeight(int weight) {
        if (weight < 0 || weight > dev.sluice.balancer.lb.Candidate.MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0..256)");
        }
        userWeight = weight;
        return publish();
    }

    /** Stops or resumes the health checks; stopped checks leave the server considered UP, as HAProxy. */
    public synchronized boolean setChecksEnabled(boolean enabled) {
        if (enabled == checksEnabled) {
            return false;
        }
        checksEnabled = enabled;
        health = enabled ? config.rise() : config.rise() + config.fall() - 1;
        boolean wasUp = up;
        up = true;
        if (!wasUp) {
            changed(true);
            return true;
        }
        return publish();
    }

    /** Recomputes the slowstart weight; true when it changed (the caller rebuilds the server set). */
    public synchronized boolean tick() {
        return publish();
    }

    /** Whether a slowstart ramp is in progress (the caller keeps ticking). */
    public synchronized boolean ramping() {
        return ramping;
    }

    /** How long until the next ramp step is worth computing. */
    public long rampStepMillis() {
        return Math.max(RAMP_STEP_MILLIS, config.slowstart().toMillis() / RAMP_STEPS);
    }

    private void changed(boolean cameUp) {
        lastChangeNanos = nanoClock.getAsLong();
        if (cameUp && downSinceNanos >= 0) {
            downNanos += lastChangeNanos - downSinceNanos;
            downSinceNanos = -1;
        } else if (!cameUp && downSinceNanos < 0) {
            downSinceNanos = lastChangeNanos;
        }
        // HAProxy does not ramp at start-up (a cold start would be too slow), only after a recovery.
        if (cameUp && !config.slowstart().isZero()) {
            ramping = true;
            rampStartNanos = lastChangeNanos;
        } else if (!cameUp) {
            ramping = false;
        }
        publish();
    }

    /**
     * Takes over, on a reload, what HAProxy keeps across one (its server state): UP or DOWN with
     * the rise/fall counter when both configurations check the server, an admin state set at run
     * time (drain, maint), a weight changed at run time, checks disabled at run time, and the time
     * of the last change. The new configuration's own settings (rise, fall, intervals, a
     * {@code disabled} keyword) stay in force.
     */
    public void carryOver(ServerState previous) {
        int prevHealth;
        boolean prevUp;
        Admin prevAdmin;
        boolean prevConfigDisabled;
        boolean prevChecked;
        boolean prevChecksEnabled;
        int prevUserWeight;
        int prevInitialWeight;
        long prevLastChange;
        CheckResult prevLastCheck;
        synchronized (previous) {
            prevHealth = previous.health;
            prevUp = previous.up;
            prevAdmin = previous.admin;
            prevConfigDisabled = previous.configDisabled;
            prevChecked = previous.checkConfigured;
            prevChecksEnabled = previous.checksEnabled;
            prevUserWeight = previous.userWeight;
            prevInitialWeight = previous.initialWeight;
            prevLastChange = previous.lastChangeNanos;
            prevLastCheck = previous.lastCheck;
        }
        synchronized (this) {
            if (!configDisabled) {
                if (checkConfigured && prevChecked) {
                    int top = config.rise() + config.fall() - 1;
                    up = prevUp;
                    health = prevUp ? Math.max(config.rise(), Math.min(top, prevHealth)) : Math.min(prevHealth, config.rise() - 1);
                    lastCheck = prevLastCheck;
                    checksEnabled = prevChecksEnabled;
                }
                // A maintenance that came from the old config's 'disabled' ends with it; one set at run time stays.
                if (prevAdmin != Admin.MAINT || !prevConfigDisabled) {
                    admin = prevAdmin;
                }
                lastChangeNanos = prevLastChange;
            }
            downSinceNanos = up ? -1 : lastChangeNanos;
            if (prevUserWeight != prevInitialWeight) {
                userWeight = prevUserWeight;
            }
            publish();
        }
    }

    /** Publishes the volatile view; true when the load balancer's view changed. */
    private boolean publish() {
        int weight = userWeight;
        if (ramping) {
            long elapsed = nanoClock.getAsLong() - rampStartNanos;
            long total = config.slowstart().toNanos();
            if (elapsed >= total) {
                ramping = false;
            } else {
                weight = (int) Math.max(1, (userWeight * Math.max(0, elapsed) + total - 1) / total);
                weight = Math.min(weight, userWeight);
            }
        }
        boolean newUsable = up && !resolutionMaint && admin == Admin.READY && weight > 0;
        boolean newPersistent = up && !resolutionMaint && admin != Admin.MAINT;
        boolean changed = newUsable != usable || weight != effectiveWeight || newPersistent != persistent;
        effectiveWeight = weight;
        usable = newUsable;
        persistent = newPersistent;
        return changed;
    }

    /** Up, READY and with a non-zero weight: may take new traffic. */
    public boolean usable() {
        return usable;
    }

    /** Up and not in maintenance: may take traffic that persistence (a cookie) sends to it, even draining. */
    public boolean acceptsPersistent() {
        return persistent;
    }

    /** The weight the load balancer uses now (the runtime weight, ramped by slowstart). */
    public int weight() {
        return effectiveWeight;
    }

    public synchronized int userWeight() {
        return userWeight;
    }

    public int initialWeight() {
        return initialWeight;
    }

    public synchronized boolean up() {
        return up;
    }

    public synchronized Admin admin() {
        return admin;
    }

    public synchronized int health() {
        return health;
    }

    public synchronized boolean checksEnabled() {
        return checksEnabled;
    }

    public boolean checkConfigured() {
        return checkConfigured;
    }

    /** The last check's result ({@code INI} before the first). */
    public CheckResult lastCheck() {
        return lastCheck;
    }

    /** When the operational or admin state last changed, on this state's clock. */
    public synchronized long lastChangeNanos() {
        return lastChangeNanos;
    }

    public long secondsSinceLastChange() {
        return TimeUnit.NANOSECONDS.toSeconds(nanoClock.getAsLong() - lastChangeNanos());
    }

    /** HAProxy's {@code srv_op_state}: 0 stopped, 1 starting (slowstart ramp), 2 running. */
    public synchronized int operationalCode() {
        return !up || resolutionMaint ? 0 : ramping ? 1 : 2;
    }

    /**
     * HAProxy's {@code srv_admin_state} flags: 0x01 forced maintenance, 0x04 from the config, 0x08 drain, 0x20
     * maintenance for want of an address (resolution).
     */
    public synchronized int adminCode() {
        int code = switch (admin) {
            case READY -> 0;
            case DRAIN -> 0x08;
            case MAINT -> configDisabled ? 0x05 : 0x01;
        };
        return resolutionMaint ? code | 0x20 : code;
    }

    /**
     * HAProxy's {@code srv_check_state} flags: 0x02 configured, 0x04 enabled, 0x08 paused (maintenance; HAProxy
     * 2.6 shows it for a server disabled in the config even without checks).
     */
    public synchronized int checkStateCode() {
        boolean paused = admin == Admin.MAINT && (checkConfigured || configDisabled);
        return (checkConfigured ? 0x02 : 0) | (checkConfigured && checksEnabled ? 0x04 : 0) | (paused ? 0x08 : 0);
    }

    public int rise() {
        return config.rise();
    }

    public int fall() {
        return config.fall();
    }

    /** Failed checks counted while the server had health left to lose (HAProxy's {@code chkfail}). */
    public synchronized long failedChecks() {
        return failedChecks;
    }

    /** How many times checks took the server from UP to DOWN (HAProxy's {@code chkdown}). */
    public synchronized long downTransitions() {
        return downTransitions;
    }

    /** Seconds spent stopped (down or in maintenance) in all, the current stop included (HAProxy's {@code downtime}). */
    public synchronized long downtimeSeconds() {
        long total = downNanos + (downSinceNanos >= 0 ? nanoClock.getAsLong() - downSinceNanos : 0);
        return TimeUnit.NANOSECONDS.toSeconds(total);
    }

    /**
     * The status the stats show: {@code MAINT}; {@code UP}, {@code UP 2/3} (failing, 2 of 3 failures left),
     * {@code DRAIN}, {@code DRAIN 2/3} or {@code no check} while running; {@code DOWN} or {@code DOWN 1/2}
     * (recovering) while stopped. HAProxy's words, so that scripts reading its CSV read ours.
     */
    public synchronized String statsStatus() {
        if (resolutionMaint) {
            return "MAINT (resolution)";
        }
        if (admin == Admin.MAINT) {
            return "MAINT";
        }
        if (agentEnabled && !up && agentDown) {
            return "DOWN (agent)";
        }
        if (agentEnabled && up && admin == Admin.DRAIN) {
            return "DRAIN (agent)";
        }
        if (tracked != null) {
            if (tracked.admin() == Admin.MAINT) {
                return "MAINT (via " + trackedVia + ")";
            }
            String words = tracked.healthWords(up);
            return admin == Admin.DRAIN ? words.replace("UP", "DRAIN") : words;
        }
        int top = config.rise() + config.fall() - 1;
        if (up) {
            String failing = checksEnabled && health < top ? " " + (health - config.rise() + 1) + "/" + config.fall() : "";
            if (admin == Admin.DRAIN) {
                return "DRAIN" + failing;
            }
            return !checksEnabled ? "no check" : "UP" + failing;
        }
        return checksEnabled && health > 0 ? "DOWN " + health + "/" + config.rise() : "DOWN";
    }

    /** Human words for logs and the stats page: UP, DOWN, UP 1/3 (going down), DOWN 1/2 (going up), MAINT, DRAIN. */
    public synchronized String describe() {
        if (resolutionMaint) {
            return "MAINT (resolution)";
        }
        if (admin == Admin.MAINT) {
            return "MAINT";
        }
        int top = config.rise() + config.fall() - 1;
        String op;
        if (up) {
            op = health == top || !checksEnabled ? "UP" : "UP " + (health - config.rise() + 1) + "/" + config.fall()
                    + " (going down)";
        } else {
            op = health == 0 ? "DOWN" : "DOWN " + health + "/" + config.rise() + " (going up)";
        }
        return admin == Admin.DRAIN ? op + " (DRAIN)" : op;
    }
}
