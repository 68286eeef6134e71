package dev.sluice.balancer.io;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One inactivity deadline owned by a single event loop, cheap to move: {@link #touch()} only
 * records the time, {@link #disarm()} only clears a flag, and {@link #arm(Duration)} schedules a
 * check only when none is pending early enough. A check that fires before the (moved) deadline
 * re-schedules itself for the remainder, so a kept-alive connection costs about one scheduled
 * task per timeout period, not one per request. A zero duration means "no deadline".
 */
public final class Deadline implements Runnable {
    private final EventExecutor loop;
    private final Runnable onExpiry;
    private boolean armed;
    private long timeoutNanos;
    private long lastActivity;
    private ScheduledFuture<?> check;
    private long checkAt;

    public Deadline(EventExecutor loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** Starts (or restarts) the deadline {@code timeout} from now; zero disarms it. */
    public void arm(Duration timeout) {
        long nanos = timeout.toNanos();
        if (nanos <= 0) {
            armed = false;
            return;
        }
        armed = true;
        timeoutNanos = nanos;
        long now = System.nanoTime();
        lastActivity = now;
        long due = now + nanos;
        if (check == null || checkAt - due > 0) {
            if (check != null) {
                check.cancel(false);
            }
            schedule(now, nanos);
        }
    }

    /** Pushes the deadline back: activity happened. */
    public void touch() {
        lastActivity = System.nanoTime();
    }

    /** Stops the deadline; a pending check will find nothing to do. */
    public void disarm() {
        armed = false;
    }

    /** Stops the deadline and drops the pending check (when the connection ends). */
    public void cancel() {
        armed = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void run() {
        check = null;
        if (!armed) {
            return;
        }
        long now = System.nanoTime();
        long remaining = lastActivity + timeoutNanos - now;
        if (remaining > 0) {
            schedule(now, remaining);
            return;
        }
        armed = false;
        onExpiry.run();
    }

    private void schedule(long now, long delayNanos) {
        checkAt = now + delayNanos;
        check = loop.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
