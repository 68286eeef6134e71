package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.stick.TableSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A proxy's stick-table and tcp-request settings (never inherited from defaults).
 *
 * @param table        its {@code stick-table}, named after the proxy
 * @param tableAt      where the table was declared, or null
 * @param tcpRequests  {@code tcp-request connection|session|content} lines in file order
 * @param inspectDelay {@code tcp-request inspect-delay}, zero when not set
 * @param stickRules   {@code stick on|match|store-request} lines in file order
 * @param tcpResponses {@code tcp-response inspect-delay} and {@code tcp-response content} lines (backends)
 */
public record StickSettings(Optional<TableSpec> table, SourceLocation tableAt, List<TcpRequestRule> tcpRequests,
                            Duration inspectDelay, List<StickRule> stickRules, TcpResponses tcpResponses) {

    public static final StickSettings NONE = new StickSettings(Optional.empty(), null, List.of(), Duration.ZERO,
            List.of());

    public StickSettings {
        Objects.requireNonNull(table, "table");
        tcpRequests = List.copyOf(tcpRequests);
        Objects.requireNonNull(inspectDelay, "inspectDelay");
        stickRules = List.copyOf(stickRules);
        Objects.requireNonNull(tcpResponses, "tcpResponses");
    }

    /** Settings without {@code tcp-response} lines. */
    public StickSettings(Optional<TableSpec> table, SourceLocation tableAt, List<TcpRequestRule> tcpRequests,
                         Duration inspectDelay, List<StickRule> stickRules) {
        this(table, tableAt, tcpRequests, inspectDelay, stickRules, TcpResponses.NONE);
    }
}
