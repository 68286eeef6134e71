package dev.sluice.balancer.dispatch;

/**
 * Whether a retry leaves its server for another, as HAProxy 2.6 decides it for each retry
 * (its {@code stream_choose_redispatch}): only with {@code option redispatch}, never when the
 * server was forced ({@code force-persist}, {@code option persist} on a down server), and then when
 * the server is down, when the retry falls on the {@code option redispatch N} interval, or at once
 * when the server was chosen by a non-deterministic algorithm among several active servers.
 */
public final class Redispatch {

    private Redispatch() {
    }

    /**
     * @param redispatchAfter {@code option redispatch N}: N &gt; 0 every Nth retry, N &lt; 0 the
     *                        |N|th retry before the last one (-1, the default, is the last), 0 never
     * @param retries         the backend's {@code retries}
     * @param retry           the number of this retry, from 1
     * @param forced          the request was forced onto its server (force-persist, option persist)
     * @param serverUp        the server of the failed attempt is up
     * @param balanced        the server was chosen by the balance algorithm, not by persistence or use-server
     * @param activeServers   the backend's usable non-backup servers
     * @param hashBased       the algorithm maps a key to a server (source, uri, hdr, hash, …)
     */
    public static boolean now(boolean redispatch, int redispatchAfter, int retries, int retry, boolean forced,
                              boolean serverUp, boolean balanced, int activeServers, boolean hashBased) {
        if (!redispatch || redispatchAfter == 0 || forced) {
            return false;
        }
        if (!serverUp) {
            return true;
        }
        boolean onInterval = redispatchAfter > 0 ? retry % redispatchAfter == 0
                : retries + 1 + redispatchAfter > 0 && retry % (retries + 1 + redispatchAfter) == 0;
        return onInterval || balanced && activeServers > 1 && !hashBased;
    }
}
