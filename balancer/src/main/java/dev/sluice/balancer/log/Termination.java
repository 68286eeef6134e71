package dev.sluice.balancer.log;

/**
 * HAProxy's termination state, two letters: who ended the session ({@code -} normal, {@code C}
 * client, {@code L} local answer, {@code S} server, {@code P} proxy, {@code R} resource, {@code I} internal, {@code c}/
 * {@code s} client or server timeout) and in which phase ({@code R} request, {@code Q} queue,
 * {@code C} connect, {@code H} response headers, {@code D} data, {@code -} normal end).
 */
public final class Termination {
    public static final char NORMAL = '-';
    public static final char CLIENT = 'C';
    /** The proxy answered by itself as configured (stats page, exporter, http-request return/redirect). */
    public static final char LOCAL = 'L';
    public static final char SERVER = 'S';
    public static final char PROXY = 'P';
    public static final char RESOURCE = 'R';
    public static final char CLIENT_TIMEOUT = 'c';
    public static final char SERVER_TIMEOUT = 's';

    public static final char AT_REQUEST = 'R';
    public static final char AT_QUEUE = 'Q';
    public static final char AT_CONNECT = 'C';
    public static final char AT_HEADERS = 'H';
    public static final char AT_DATA = 'D';
    /** Held by {@code http-request tarpit} before the answer. */
    public static final char AT_TARPIT = 'T';
    public static final char AT_END = '-';

    private Termination() {
    }
}
