package dev.sluice.balancer.front;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code maxconn}: how many connections one scope (the process, a frontend, a bind) holds at
 * once. Shared by every event loop, hence atomic; zero means unlimited.
 */
public final class ConnectionLimit {
    private final String scope;
    private final int max;
    private final AtomicInteger current = new AtomicInteger();
    private final java.util.List<Runnable> onRoom = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Runnable> onFull = new java.util.concurrent.CopyOnWriteArrayList<>();

    public ConnectionLimit(String scope, int max) {
        this.scope = scope;
        this.max = max;
    }

    /** Takes one slot; false when the limit is reached (nothing is taken then). */
    public boolean tryAcquire() {
        if (max == 0) {
            current.incrementAndGet();
            return true;
        }
        while (true) {
            int now = current.get();
            if (now >= max) {
                return false;
            }
            if (current.compareAndSet(now, now + 1)) {
                if (now + 1 == max) {
                    for (Runnable wake : onFull) {
                        wake.run();
                    }
                }
                return true;
            }
        }
    }

    /** Gives a slot back; when that makes room in a full limit, wakes the paused listeners. */
    public void release() {
        int after = current.decrementAndGet();
        if (max != 0 && after == max - 1) {
            for (Runnable wake : onRoom) {
                wake.run();
            }
        }
    }

    /** Runs {@code wake} each time this limit becomes full (on the acquiring thread). */
    public void whenFull(Runnable wake) {
        onFull.add(wake);
    }

    /** Runs {@code wake} each time this limit goes from full to not full (on the releasing thread). */
    public void whenRoom(Runnable wake) {
        onRoom.add(wake);
    }

    public boolean full() {
        return max != 0 && current.get() >= max;
    }

    public int current() {
        return current.get();
    }

    public int max() {
        return max;
    }

    public String scope() {
        return scope;
    }
}
