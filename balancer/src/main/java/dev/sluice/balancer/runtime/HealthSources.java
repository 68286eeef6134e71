package dev.sluice.balancer.runtime;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a server's health comes from besides its own {@code check}: {@code track [BACKEND/]SERVER} (its state
 * follows another server's) and the {@code agent-check} settings (a TCP agent that reports a state and a weight).
 *
 * @param track null when the server tracks nothing
 * @param agent {@link Agent#NONE} when there is no agent
 */
public record HealthSources(Track track, Agent agent) {

    public static final HealthSources NONE = new HealthSources(null, Agent.NONE);

    public HealthSources {
        Objects.requireNonNull(agent, "agent");
    }

    /**
     * {@code track [BACKEND/]SERVER}.
     *
     * @param backend null: the server's own backend
     */
    public record Track(String backend, String server) {
        public Track {
            Objects.requireNonNull(server, "server");
        }

        /** As HAProxy names it: {@code be/srv}. */
        public String describe(String ownBackend) {
            return (backend == null ? ownBackend : backend) + "/" + server;
        }
    }

    /**
     * {@code agent-check}, {@code agent-port}, {@code agent-inter}, {@code agent-addr}, {@code agent-send}.
     *
     * @param enabled {@code agent-check}
     * @param port    0 when not set (an enabled agent without a port is refused, as by HAProxy)
     * @param inter   null: the default 2 s
     * @param address null: the server's address
     * @param send    sent once connected, empty for nothing
     */
    public record Agent(boolean enabled, int port, Duration inter, InetAddress address, String send) {
        public static final Duration DEFAULT_INTER = Duration.ofSeconds(2);
        public static final Agent NONE = new Agent(false, 0, null, null, "");

        public Agent {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("agent-port: " + port + " (expected: 0..65535)");
            }
            Objects.requireNonNull(send, "send");
        }

        public Duration interval() {
            return inter == null ? DEFAULT_INTER : inter;
        }
    }
}
