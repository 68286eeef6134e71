package dev.sluice.balancer.log;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.rules.Verdict;

/**
 * How answers the balancer makes itself are logged, as HAProxy logs them: the server is
 * {@code <NOSRV>} (or the applet's name for the stats page and the exporter), the backend the one
 * whose rules answered (else the frontend), and the termination state says who answered:
 * {@code PR} for {@code http-request deny}, {@code PT} for {@code tarpit}, {@code LR} for
 * {@code return}, {@code redirect} and the services, {@code PH} for {@code http-response deny}.
 * Every method does nothing for a connection that does not log ({@code record} null).
 */
public final class LocalAnswers {
    private LocalAnswers() {
    }

    /** An {@code http-request} rule answered with {@code verdict}; {@code backend} when its rules did, else null. */
    public static void requestRule(LogRecord record, Verdict verdict, Backend backend) {
        if (record == null) {
            return;
        }
        if (backend != null) {
            record.backend(backend);
        }
        switch (verdict) {
            case TARPIT -> {
                record.terminated(Termination.PROXY, Termination.AT_TARPIT);
                record.tarpitStarted();
            }
            case REPLY -> record.terminated(Termination.LOCAL, Termination.AT_REQUEST);
            default -> record.terminated(Termination.PROXY, Termination.AT_REQUEST);
        }
    }

    /** An {@code http-response} rule answered instead of the server's response ({@code deny}: PH, {@code return}: LH). */
    public static void responseRule(LogRecord record, Verdict verdict) {
        if (record != null) {
            record.terminated(verdict == Verdict.REPLY ? Termination.LOCAL : Termination.PROXY, Termination.AT_HEADERS);
        }
    }

    /** The rule's reply went out with {@code status}: the line is written (its bytes counted in %B). */
    public static void replySent(LogRecord record, int status) {
        if (record != null) {
            record.tarpitEnded();
            record.answered(status);
            record.end();
        }
    }

    /**
     * A service answered ({@code name}: {@code <STATS>}, {@code <PROMEX>}); the line is written when
     * the exchange finishes. Its backend is the frontend, as HAProxy logs a frontend's stats page
     * and {@code use-service} (a backend's own {@code stats uri} is logged the same way here).
     */
    public static void service(LogRecord record, String name, int status) {
        if (record != null) {
            record.answeredLocally(name, status);
        }
    }
}
