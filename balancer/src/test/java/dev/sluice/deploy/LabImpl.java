package dev.sluice.deploy;

import java.util.Locale;

/**
 * Which implementation the deploy tests run behind the Sluice units and in the ECMP lab:
 * {@code sluice} (our binaries) or {@code reference} (hitch and haproxy, which take the same
 * command lines and configuration files). {@code LAB_IMPL} in the environment (or the system
 * property {@code lab.impl}) chooses; without it, {@link #DEFAULT}.
 */
enum LabImpl {
    SLUICE,
    REFERENCE;

    /** Our binaries; LAB_IMPL=reference runs the same harness against hitch and haproxy. */
    static final LabImpl DEFAULT = SLUICE;

    static LabImpl current() {
        String chosen = System.getProperty("lab.impl", System.getenv("LAB_IMPL"));
        return chosen == null || chosen.isBlank() ? DEFAULT : valueOf(chosen.strip().toUpperCase(Locale.ROOT));
    }

    String envValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
