package dev.sluice.common.os;

import java.util.Locale;
import sun.misc.Signal;

/**
 * The POSIX signals an edge process answers: TERM and INT stop it, HUP and USR2 reload it, USR1
 * dumps counters. Handlers run on the JVM's signal thread and must only hand work over.
 */
public final class Signals {
    private Signals() {
    }

    /** Linux signal numbers of the signals Sluice sends. */
    public enum Posix {
        HUP(1), INT(2), KILL(9), USR1(10), USR2(12), TERM(15);

        final int number;

        Posix(int number) {
            this.number = number;
        }

        /** The name of signal {@code number} for log lines ("SIGKILL"), or its number. */
        public static String describe(int number) {
            for (Posix signal : values()) {
                if (signal.number == number) {
                    return "SIG" + signal.name();
                }
            }
            return "signal " + number;
        }
    }

    /** Sends {@code signal} to process {@code pid}; false if it no longer exists. */
    public static boolean send(long pid, Posix signal) {
        try {
            Libc.kill(Math.toIntExact(pid), signal.number);
            return true;
        } catch (Libc.NativeException e) {
            if (e.errno == 3) { // ESRCH: already gone
                return false;
            }
            throw new IllegalStateException("cannot send SIG" + signal + " to " + pid + ": " + e.getMessage());
        }
    }

    /**
     * Whether SIGUSR2 is ours to handle. HotSpot on Linux suspends threads with SIGUSR2 (for JFR's
     * sampler, safepoint-free thread dumps) unless {@code _JAVA_SR_SIGNUM} names another signal; a
     * handler installed on it then runs at every suspension, and a reload each time would follow.
     */
    public static boolean usr2Free() {
        String chosen = System.getenv("_JAVA_SR_SIGNUM");
        return chosen != null && !chosen.strip().equals(String.valueOf(Posix.USR2.number));
    }

    /** Calls {@code action} each time one of {@code names} (e.g. "HUP") arrives. */
    public static void on(Runnable action, String... names) {
        for (String name : names) {
            Signal.handle(new Signal(name.toUpperCase(Locale.ROOT)), signal -> action.run());
        }
    }
}
