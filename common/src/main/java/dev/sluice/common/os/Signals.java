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

    /** Calls {@code action} each time one of {@code names} (e.g. "HUP") arrives. */
    public static void on(Runnable action, String... names) {
        for (String name : names) {
            Signal.handle(new Signal(name.toUpperCase(Locale.ROOT)), signal -> action.run());
        }
    }
}
