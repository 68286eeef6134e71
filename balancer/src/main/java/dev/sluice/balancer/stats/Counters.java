package dev.sluice.balancer.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live figures of one frontend, backend or server, named after HAProxy's stats fields
 * ({@code scur}, {@code stot}, {@code hrsp_2xx}…). Every update is a {@link LongAdder} increment
 * or a plain volatile write: no lock and no allocation on the request path; reads sum on demand
 * (the stats page and the exporter are rare next to requests).
 *
 * <p>Times ({@code qtime ctime rtime ttime}) are averages in milliseconds over every timed
 * request since start (HAProxy averages the last 1024; documented difference).
 */
public final class Counters {
    /** hrsp_1xx .. hrsp_5xx, then hrsp_other. */
    public static final int STATUS_CLASSES = 6;

    private final AtomicLong current = new AtomicLong();
    private volatile long currentMax;
    private final LongAdder total = new LongAdder();
    private final RateCounter sessionRate = new RateCounter();
    private final LongAdder requests = new LongAdder();
    private final RateCounter requestRate = new RateCounter();
    private final LongAdder[] responses = adders(STATUS_CLASSES);
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder deniedRequests = new LongAdder();
    private final LongAdder deniedResponses = new LongAdder();
    private final LongAdder requestErrors = new LongAdder();
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder responseErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder redispatches = new LongAdder();
    private final LongAdder clientAborts = new LongAdder();
    private final LongAdder serverAborts = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder intercepted = new LongAdder();
    private final LongAdder connectAttempts = new LongAdder();
    private final LongAdder reuses = new LongAdder();
    private volatile long queueMax;
    private volatile long lastSessionNanos = Long.MIN_VALUE;
    private final LongAdder timed = new LongAdder();
    private final LongAdder queueMillis = new LongAdder();
    private final LongAdder connectMillis = new LongAdder();
    private final LongAdder responseMillis = new LongAdder();
    private final LongAdder totalMillis = new LongAdder();
    /** comp_in, comp_out, comp_byp, comp_rsp (frontends and backends). */
    private final CompressionCounters compression = new CompressionCounters();

    private static LongAdder[] adders(int n) {
        LongAdder[] result = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            result[i] = new LongAdder();
        }
        return result;
    }

    // ---- updates (hot path) -------------------------------------------------------------------

    /** A session starts: a client connection (frontend) or a request given to a backend/server. */
    public void sessionOpened(long nowNanos) {
        long now = current.incrementAndGet();
        if (now > currentMax) {
            currentMax = now;
        }
        total.increment();
        sessionRate.add(nowNanos);
        lastSessionNanos = nowNanos;
    }

    public void sessionClosed() {
        current.decrementAndGet();
    }

    public void request(long nowNanos) {
        requests.increment();
        requestRate.add(nowNanos);
    }

    public void response(int status) {
        int index = status >= 100 && status < 600 ? status / 100 - 1 : STATUS_CLASSES - 1;
        responses[index].increment();
    }

    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    public void deniedRequest() {
        deniedRequests.increment();
    }

    /** A response refused by a rule ({@code tcp-response content reject}): HAProxy's dresp. */
    public void deniedResponse() {
        deniedResponses.increment();
    }

    public void requestError() {
        requestErrors.increment();
    }

    public void connectError() {
        connectErrors.increment();
    }

    public void responseError() {
        responseErrors.increment();
    }

    public void retry() {
        retries.increment();
    }

    public void redispatch() {
        redispatches.increment();
    }

    public void clientAbort() {
        clientAborts.increment();
    }

    public void serverAbort() {
        serverAborts.increment();
    }

    public void internalError() {
        internalErrors.increment();
    }

    /** A request answered by the balancer itself (stats page, exporter). */
    public void interceptedRequest() {
        intercepted.increment();
    }

    public void connectAttempt(boolean reused) {
        connectAttempts.increment();
        if (reused) {
            reuses.increment();
        }
    }

    public void queued(int depth) {
        if (depth > queueMax) {
            queueMax = depth;
        }
    }

    /** One request's timers in milliseconds; -1 for a phase it did not go through. */
    public void timings(long queue, long connect, long response, long totalTime) {
        timed.increment();
        queueMillis.add(Math.max(queue, 0));
        connectMillis.add(Math.max(connect, 0));
        responseMillis.add(Math.max(response, 0));
        totalMillis.add(Math.max(totalTime, 0));
    }

    // ---- reads ---------------------------------------------------------------------------------

    public long current() {
        return current.get();
    }

    public long currentMax() {
        return currentMax;
    }

    public long total() {
        return total.sum();
    }

    public long sessionRate(long nowNanos) {
        return sessionRate.read(nowNanos);
    }

    public long sessionRateMax() {
        return sessionRate.max();
    }

    public long requests() {
        return requests.sum();
    }

    public long requestRate(long nowNanos) {
        return requestRate.read(nowNanos);
    }

    public long requestRateMax() {
        return requestRate.max();
    }

    /** Responses of status class {@code index} (0 = 1xx … 4 = 5xx, 5 = other). */
    public long responses(int index) {
        return responses[index].sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long deniedRequests() {
        return deniedRequests.sum();
    }

    public long deniedResponses() {
        return deniedResponses.sum();
    }

    public long requestErrors() {
        return requestErrors.sum();
    }

    public long connectErrors() {
        return connectErrors.sum();
    }

    public long responseErrors() {
        return responseErrors.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long redispatches() {
        return redispatches.sum();
    }

    public long clientAborts() {
        return clientAborts.sum();
    }

    public long serverAborts() {
        return serverAborts.sum();
    }

    public long internalErrors() {
        return internalErrors.sum();
    }

    public long intercepted() {
        return intercepted.sum();
    }

    public long connectAttempts() {
        return connectAttempts.sum();
    }

    public long reuses() {
        return reuses.sum();
    }

    public long queueMax() {
        return queueMax;
    }

    /** Seconds since the last session, or -1 when there was none (HAProxy's {@code lastsess}). */
    public long secondsSinceLastSession(long nowNanos) {
        long last = lastSessionNanos;
        return last == Long.MIN_VALUE ? -1 : (nowNanos - last) / 1_000_000_000L;
    }

    public long averageQueueMillis() {
        return average(queueMillis);
    }

    public long averageConnectMillis() {
        return average(connectMillis);
    }

    public long averageResponseMillis() {
        return average(responseMillis);
    }

    public long averageTotalMillis() {
        return average(totalMillis);
    }

    private long average(LongAdder sum) {
        long n = timed.sum();
        return n == 0 ? 0 : sum.sum() / n;
    }

    public CompressionCounters compression() {
        return compression;
    }
}
