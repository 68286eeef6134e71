package dev.sluice.terminator.server;

import dev.sluice.terminator.config.TerminatorConfig;

/** Placeholder replaced in the next step. */
public final class Terminator {
    private Terminator() {
    }

    public static int run(TerminatorConfig config) {
        return 1;
    }
}
