package dev.sluice.balancer.stick;

/**
 * The tracked-counter slots sc0, sc1 and sc2 of one client connection, as in HAProxy: each slot
 * holds at most one {@link StickEntry}, and what happens on the connection (its opening and end,
 * each HTTP request, each 4xx, bytes) is added to every entry it tracks. Two levels, as HAProxy's
 * session and stream counters: {@code tcp-request connection|session} tracks for the whole
 * connection; {@code tcp-request content} and {@code http-request} track for the current request
 * only, released by {@link #requestEnded()}. A fetch {@code sc0_*} reads the request's entry first,
 * then the connection's.
 *
 * <p>Owned by the connection and used on its event loop only (the entries it points to are shared
 * and thread-safe). Get it with {@link Tracking#counters}.
 */
public final class TrackedCounters {

    /** sc0, sc1, sc2: HAProxy 2.6's default {@code tune.stick-counters}. */
    public static final int SLOTS = 3;

    private final StickEntry[] connection = new StickEntry[SLOTS];
    private final StickEntry[] request = new StickEntry[SLOTS];
    private boolean closed;

    TrackedCounters() {
    }

    /**
     * Tracks {@code key} of {@code table} in {@code slot} for the whole connection ({@code tcp-request
     * connection|session track-scN}): the entry's {@code conn_cnt}, {@code conn_cur} and
     * {@code conn_rate} count this connection. Does nothing when the slot already tracks something
     * (the first rule wins), when the key is null or when the table is full.
     *
     * @return whether the slot now tracks the key
     */
    public boolean trackConnection(int slot, StickTable table, Object key) {
        checkSlot(slot);
        if (closed || tracked(slot) != null) {
            return false;
        }
        StickEntry entry = take(table, key);
        if (entry == null) {
            return false;
        }
        connection[slot] = entry;
        return true;
    }

    /**
     * Tracks {@code key} of {@code table} in {@code slot} for the current request only — what
     * {@code http-request track-scN KEY [table T]} and {@code tcp-request content track-scN} do. Besides
     * the connection counters of {@link #trackConnection}, the entry counts the current request in
     * {@code http_req_cnt} and {@code http_req_rate}; later 4xx responses and bytes of this request
     * count too. Released by {@link #requestEnded()}. Does nothing when the slot already tracks
     * something at either level.
     *
     * <p>For the {@code http-request} rules: evaluate KEY with
     * {@code SampleExpression.evaluate*}, turn it into the table's key with {@link StickTable#key},
     * then call this with the connection's {@code Tracking.counters(channel)}; the table comes from
     * {@link StickTables#get}.
     *
     * @return whether the slot now tracks the key
     */
    public boolean trackRequest(int slot, StickTable table, Object key) {
        if (!trackContent(slot, table, key)) {
            return false;
        }
        request[slot].add(StickData.HTTP_REQ_CNT, 1);
        request[slot].add(StickData.HTTP_REQ_RATE, 1);
        return true;
    }

    /**
     * {@code tcp-request content track-scN}: as {@link #trackRequest} but the current request is not
     * counted here — content rules run before the request is counted ({@link Tracking#requestStarted}),
     * as in HAProxy, which counts it after its content rules.
     */
    boolean trackContent(int slot, StickTable table, Object key) {
        checkSlot(slot);
        if (closed || tracked(slot) != null) {
            return false;
        }
        StickEntry entry = take(table, key);
        if (entry == null) {
            return false;
        }
        request[slot] = entry;
        return true;
    }

    /** The entry slot {@code slot} tracks now (the request's, else the connection's), or null. */
    public StickEntry tracked(int slot) {
        StickEntry entry = request[slot];
        return entry != null ? entry : connection[slot];
    }

    /** The connection was accepted as a session (after its tcp-request session rules): {@code sess_*}. */
    public void sessionAccepted() {
        addAll(StickData.SESS_CNT, 1);
        addAll(StickData.SESS_RATE, 1);
    }

    /** A new HTTP request arrived on the connection: {@code http_req_cnt}, {@code http_req_rate}. */
    public void httpRequest() {
        addAll(StickData.HTTP_REQ_CNT, 1);
        addAll(StickData.HTTP_REQ_RATE, 1);
    }

    /** The response (or the refusal) to the current request is a 4xx: {@code http_err_cnt}, {@code http_err_rate}. */
    public void httpError() {
        addAll(StickData.HTTP_ERR_CNT, 1);
        addAll(StickData.HTTP_ERR_RATE, 1);
    }

    /**
     * The response to the current request is a failure HAProxy counts in {@code http_fail_cnt} and
     * {@code http_fail_rate}: a 5xx other than 501 and 505.
     */
    public void httpFailure() {
        addAll(StickData.HTTP_FAIL_CNT, 1);
        addAll(StickData.HTTP_FAIL_RATE, 1);
    }

    /** Bytes received from the client. */
    public void bytesIn(long bytes) {
        addAll(StickData.BYTES_IN_CNT, bytes);
        addAll(StickData.BYTES_IN_RATE, bytes);
    }

    /** Bytes sent to the client. */
    public void bytesOut(long bytes) {
        addAll(StickData.BYTES_OUT_CNT, bytes);
        addAll(StickData.BYTES_OUT_RATE, bytes);
    }

    /** The current request is over: its request-level tracks end ({@code conn_cur} goes down). */
    public void requestEnded() {
        for (int i = 0; i < SLOTS; i++) {
            StickEntry entry = request[i];
            if (entry != null) {
                request[i] = null;
                untake(entry);
            }
        }
    }

    /** The connection closed: every track ends. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        requestEnded();
        for (int i = 0; i < SLOTS; i++) {
            StickEntry entry = connection[i];
            if (entry != null) {
                connection[i] = null;
                untake(entry);
            }
        }
    }

    /** Adds to every tracked entry, once per slot as HAProxy does (a slot holds one level only). */
    private void addAll(StickData data, long amount) {
        for (int i = 0; i < SLOTS; i++) {
            if (connection[i] != null) {
                connection[i].add(data, amount);
            }
            if (request[i] != null) {
                request[i].add(data, amount);
            }
        }
    }

    private static StickEntry take(StickTable table, Object key) {
        // An entry may expire between the lookup and the reference: try once more then.
        for (int attempt = 0; attempt < 2; attempt++) {
            StickEntry entry = table.lookupOrCreate(key);
            if (entry == null) {
                return null;
            }
            entry.retain();
            if (table.holds(entry)) {
                entry.add(StickData.CONN_CNT, 1);
                entry.add(StickData.CONN_CUR, 1);
                entry.add(StickData.CONN_RATE, 1);
                return entry;
            }
            entry.release();
        }
        return null;
    }

    private static void untake(StickEntry entry) {
        entry.add(StickData.CONN_CUR, -1);
        entry.release();
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("slot: " + slot + " (expected: 0.." + (SLOTS - 1) + ")");
        }
    }
}
