package dev.sluice.balancer.runtime;

/**
 * {@code option clitcpka} / {@code option srvtcpka} (or {@code tcpka} for both) with
 * {@code clitcpka-cnt|idle|intvl} / {@code srvtcpka-cnt|idle|intvl}: SO_KEEPALIVE on one side's
 * sockets, and the kernel's probe settings where given. As in HAProxy, the three settings act only
 * when the option is on; 0 leaves the system's value ({@code net.ipv4.tcp_keepalive_*}).
 *
 * @param count           TCP_KEEPCNT: unanswered probes before the connection is dropped, or 0
 * @param idleSeconds     TCP_KEEPIDLE: idle time before the first probe, or 0
 * @param intervalSeconds TCP_KEEPINTVL: time between probes, or 0
 */
public record TcpKeepAlive(boolean enabled, int count, int idleSeconds, int intervalSeconds) {

    /** The option is off (HAProxy's default). */
    public static final TcpKeepAlive OFF = new TcpKeepAlive(false, 0, 0, 0);

    /** The largest value Linux accepts for TCP_KEEPCNT. */
    public static final int MAX_COUNT = 127;
    /** The largest value Linux accepts for TCP_KEEPIDLE and TCP_KEEPINTVL (MAX_TCP_KEEPIDLE). */
    public static final int MAX_SECONDS = 32767;

    public TcpKeepAlive {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count: " + count + " (expected: 0.." + MAX_COUNT + ")");
        }
        if (idleSeconds < 0 || idleSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("idleSeconds: " + idleSeconds + " (expected: 0.." + MAX_SECONDS + ")");
        }
        if (intervalSeconds < 0 || intervalSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("intervalSeconds: " + intervalSeconds + " (expected: 0.."
                    + MAX_SECONDS + ")");
        }
    }

    public TcpKeepAlive withEnabled(boolean on) {
        return new TcpKeepAlive(on, count, idleSeconds, intervalSeconds);
    }

    public TcpKeepAlive withCount(int value) {
        return new TcpKeepAlive(enabled, value, idleSeconds, intervalSeconds);
    }

    public TcpKeepAlive withIdleSeconds(int value) {
        return new TcpKeepAlive(enabled, count, value, intervalSeconds);
    }

    public TcpKeepAlive withIntervalSeconds(int value) {
        return new TcpKeepAlive(enabled, count, idleSeconds, value);
    }
}
