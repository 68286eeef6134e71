package dev.sluice.terminator.server;

import dev.sluice.common.os.SdNotify;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * systemd's watchdog (sd_watchdog_enabled(3), {@code WatchdogSec=}): when {@code $WATCHDOG_USEC}
 * is set (and {@code $WATCHDOG_PID}, if set, is this process), sends {@code WATCHDOG=1} every half
 * interval, as systemd recommends, but only while the process answers its liveness probe: a stuck
 * event loop stops the pings and systemd restarts the unit. Without the variables it does nothing.
 */
public final class Watchdog implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(Watchdog.class);
    /** Shortest ping period honoured; a smaller WATCHDOG_USEC would keep a thread busy. */
    private static final Duration MIN_PERIOD = Duration.ofMillis(10);

    /** A watchdog that was not asked for. */
    public static final Watchdog NONE = new Watchdog(null);

    private final ScheduledExecutorService pinger;

    private Watchdog(ScheduledExecutorService pinger) {
        this.pinger = pinger;
    }

    /** The ping period for {@code environment} seen by process {@code pid}, or null when systemd asked for none. */
    static Duration period(Map<String, String> environment, long pid) {
        String usec = environment.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return null;
        }
        String watchdogPid = environment.get("WATCHDOG_PID");
        long micros;
        try {
            if (watchdogPid != null && !watchdogPid.isBlank() && Long.parseLong(watchdogPid.trim()) != pid) {
                return null; // meant for another process (e.g. the supervisor, not its worker)
            }
            micros = Long.parseLong(usec.trim());
        } catch (NumberFormatException e) {
            log.warn("WATCHDOG_USEC={} / WATCHDOG_PID={} are not numbers; no watchdog pings", usec, watchdogPid);
            return null;
        }
        if (micros <= 0) {
            return null;
        }
        Duration half = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(micros) / 2);
        return half.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : half;
    }

    /**
     * Starts pinging if this process's environment asks for it. {@code alive} is asked each period,
     * with the period as its time budget; a false answer skips that ping (and is logged).
     */
    public static Watchdog start(SdNotify notify, Predicate<Duration> alive) {
        return start(notify, System.getenv(), ProcessHandle.current().pid(), alive);
    }

    static Watchdog start(SdNotify notify, Map<String, String> environment, long pid, Predicate<Duration> alive) {
        Duration period = period(environment, pid);
        if (period == null || !notify.enabled()) {
            return NONE;
        }
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("watchdog").factory());
        pinger.scheduleAtFixedRate(() -> {
            if (alive.test(period)) {
                notify.send("WATCHDOG=1");
            } else {
                log.error("not answering within {} ms: withholding the systemd watchdog ping", period.toMillis());
            }
        }, 0, period.toNanos(), TimeUnit.NANOSECONDS);
        log.info("systemd watchdog: pinging every {} ms", period.toMillis());
        return new Watchdog(pinger);
    }

    public boolean running() {
        return pinger != null;
    }

    @Override
    public void close() {
        if (pinger != null) {
            pinger.shutdownNow();
        }
    }
}
