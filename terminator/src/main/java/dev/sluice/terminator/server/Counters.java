package dev.sluice.terminator.server;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one terminator process has done, for the metrics listener and the SIGUSR1/exit summary.
 * Written on the event loop, read from other threads, hence adders. One instance per process.
 */
public final class Counters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder resumptions = new LongAdder();
    private final Map<HandshakeFailure, LongAdder> handshakeFailures = new EnumMap<>(HandshakeFailure.class);
    private final LongAdder backendConnectFailures = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();

    public Counters() {
        for (HandshakeFailure failure : HandshakeFailure.values()) {
            handshakeFailures.put(failure, new LongAdder());
        }
    }

    void accepted() {
        accepted.increment();
        active.increment();
    }

    void closed() {
        active.decrement();
    }

    void handshake(boolean resumed) {
        handshakes.increment();
        if (resumed) {
            resumptions.increment();
        }
    }

    void handshakeFailed(HandshakeFailure failure) {
        handshakeFailures.get(failure).increment();
    }

    void backendConnectFailed() {
        backendConnectFailures.increment();
    }

    void relayed(long fromClient, long toClient, boolean idle) {
        bytesIn.add(fromClient);
        bytesOut.add(toClient);
        if (idle) {
            idleTimeouts.increment();
        }
    }

    public long active() {
        return active.sum();
    }

    public long handshakes() {
        return handshakes.sum();
    }

    public long handshakeFailures(HandshakeFailure failure) {
        return handshakeFailures.get(failure).sum();
    }

    public long backendConnectFailures() {
        return backendConnectFailures.sum();
    }

    /** One line for the log. */
    public String summary() {
        StringBuilder failures = new StringBuilder();
        for (var entry : handshakeFailures.entrySet()) {
            long count = entry.getValue().sum();
            if (count > 0) {
                failures.append(failures.isEmpty() ? "" : ",").append(entry.getKey().code()).append('=').append(count);
            }
        }
        return "connections accepted=" + accepted.sum() + " active=" + active.sum()
                + " handshakes ok=" + handshakes.sum() + " resumed=" + resumptions.sum()
                + " failed={" + failures + "} backend connect failures=" + backendConnectFailures.sum()
                + " bytes from clients=" + bytesIn.sum() + " to clients=" + bytesOut.sum()
                + " idle timeouts=" + idleTimeouts.sum();
    }

    /** The Prometheus text exposition format, version 0.0.4. */
    public String prometheus() {
        StringBuilder out = new StringBuilder(1024);
        counter(out, "sluice_terminator_connections_accepted_total", "Client connections accepted.", accepted.sum());
        gauge(out, "sluice_terminator_connections_active", "Client connections open now.", active.sum());
        counter(out, "sluice_terminator_handshakes_total", "TLS handshakes completed.", handshakes.sum());
        counter(out, "sluice_terminator_resumptions_total", "TLS handshakes that resumed a session.", resumptions.sum());
        out.append("# HELP sluice_terminator_handshake_failures_total TLS handshakes failed, by reason.\n")
           .append("# TYPE sluice_terminator_handshake_failures_total counter\n");
        for (var entry : handshakeFailures.entrySet()) {
            out.append("sluice_terminator_handshake_failures_total{reason=\"").append(entry.getKey().code())
               .append("\"} ").append(entry.getValue().sum()).append('\n');
        }
        counter(out, "sluice_terminator_backend_connect_failures_total", "Backend connections that failed.",
                backendConnectFailures.sum());
        counter(out, "sluice_terminator_client_bytes_received_total", "Bytes relayed from clients.", bytesIn.sum());
        counter(out, "sluice_terminator_client_bytes_sent_total", "Bytes relayed to clients.", bytesOut.sum());
        counter(out, "sluice_terminator_idle_timeouts_total", "Connections closed by idle-timeout.", idleTimeouts.sum());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        metric(out, name, help, "counter", value);
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        metric(out, name, help, "gauge", value);
    }

    private static void metric(StringBuilder out, String name, String help, String type, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
           .append("# TYPE ").append(name).append(' ').append(type).append('\n')
           .append(name).append(' ').append(value).append('\n');
    }
}
