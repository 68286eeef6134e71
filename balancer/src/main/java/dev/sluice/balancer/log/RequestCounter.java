package dev.sluice.balancer.log;

import java.util.concurrent.atomic.AtomicLong;

/**
 * HAProxy's per-process request counter ({@code %rt}, the {@code _%rt} of the classic unique id):
 * from 0, one number per request of the frontends whose formats show it.
 *
 * <p>One {@link AtomicLong}: {@code getAndIncrement} hands each caller a number no other caller
 * gets, in one order for the whole process, so ids built from it are unique and increase as
 * requests take them. A {@code LongAdder} cannot hand out a number (its sum is not per call) and
 * per-event-loop counters repeat each other's values. The price, one atomic add per request, is
 * paid only by frontends that show {@code %rt}. Unlike HAProxy, requests of frontends that do not
 * show it take no number (HAProxy counts every stream).
 */
final class RequestCounter {
    private static final AtomicLong NEXT = new AtomicLong();

    private RequestCounter() {
    }

    static long next() {
        return NEXT.getAndIncrement();
    }
}
