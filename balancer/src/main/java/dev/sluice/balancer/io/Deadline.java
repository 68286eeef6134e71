package dev.sluice.balancer.io;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One inactivity deadline owned by a single event loop. {@link #touch()} only records the time
 * (no rescheduling per message); when the scheduled check fires early because of a touch, it
 * re-arms itself for the remainder. A zero duration means "no deadline".
 */
public final class Deadline implements Runnable {
    private final EventExecutor loop;
    private final Runnable onExpiry;
    private long timeoutNanos;
    private long lastActivity;
    private ScheduledFuture<?> check;

    public Deadline(EventExecutor loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** Starts (or restarts) the deadline {@code timeout} from now; zero cancels it. */
    public void arm(Duration timeout) {
        cancel();
        timeoutNanos = timeout.toNanos();
        if (timeoutNanos <= 0) {
            return;
        }
        lastActivity = System.nanoTime();
        check = loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Pushes the deadline back: activity happened. */
    public void touch() {
        lastActivity = System.nanoTime();
    }

    public void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    public boolean armed() {
        return check != null;
    }

    @Override
    public void run() {
        if (check == null) {
            return;
        }
        long remaining = lastActivity + timeoutNanos - System.nanoTime();
        if (remaining > 0) {
            check = loop.schedule(this, remaining, TimeUnit.NANOSECONDS);
            return;
        }
        check = null;
        onExpiry.run();
    }
}
