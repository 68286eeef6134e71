package dev.sluice.balancer.runtime;

/**
 * The socket settings a {@code bind} line may add to its listeners.
 *
 * @param backlog          {@code backlog N}: the kernel's accept queue; 0 for the balancer's default
 * @param deferAccept      {@code defer-accept}: accept only once the client has sent data (TCP_DEFER_ACCEPT)
 * @param fastOpen         {@code tfo}: TCP Fast Open, its queue as long as the backlog
 * @param transparent      {@code transparent}: bind addresses that are not local (IP_TRANSPARENT)
 * @param userTimeoutMillis {@code tcp-ut T}: TCP_USER_TIMEOUT on accepted connections; 0 when not set
 * @param unixMode         {@code mode OCTAL} of a UNIX socket's file, or -1 to leave it as created
 * @param unixUser         {@code user NAME} / {@code uid N} owning a UNIX socket's file, or null
 * @param unixGroup        {@code group NAME} / {@code gid N} owning a UNIX socket's file, or null
 */
public record BindSocket(int backlog, boolean deferAccept, boolean fastOpen, boolean transparent,
                         int userTimeoutMillis, int unixMode, String unixUser, String unixGroup) {

    public static final BindSocket DEFAULT = new BindSocket(0, false, false, false, 0, -1, null, null);
    private static final int MAX_MODE = 0777;

    public BindSocket {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog: " + backlog + " (expected: >= 0)");
        }
        if (userTimeoutMillis < 0) {
            throw new IllegalArgumentException("userTimeoutMillis: " + userTimeoutMillis + " (expected: >= 0)");
        }
        if (unixMode < -1 || unixMode > MAX_MODE) {
            throw new IllegalArgumentException("unixMode: " + Integer.toOctalString(unixMode) + " (expected: 0..777 octal)");
        }
    }

    /** Whether a UNIX socket's file gets a mode or an owner after binding. */
    public boolean setsUnixFile() {
        return unixMode >= 0 || unixUser != null || unixGroup != null;
    }
}
