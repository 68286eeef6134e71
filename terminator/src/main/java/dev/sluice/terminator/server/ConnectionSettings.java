package dev.sluice.terminator.server;

import java.time.Duration;

/** What every client connection of a process shares: immutable settings and the counters. */
record ConnectionSettings(Backend backend, ProxyHeaderWriter headerWriter, Duration handshakeTimeout,
                          Duration idleTimeout, Counters counters) {
}
