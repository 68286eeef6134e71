package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.model.ServerOptions;
import java.time.Duration;
import java.util.Optional;

/** Mutable server settings while a {@code server} or {@code default-server} line is read. */
final class ServerDraft {
    int weight;
    int maxconn;
    int maxqueue;
    int minconn;
    boolean disabled;
    boolean backup;
    boolean check;
    Duration inter;
    Optional<Duration> fastinter;
    Optional<Duration> downinter;
    int rise;
    int fall;
    int checkPort;
    Optional<String> checkAddr;
    Optional<String> cookie;
    Optional<Duration> slowstart;
    dev.sluice.balancer.runtime.ServerObserve observe;
    dev.sluice.balancer.runtime.MarkedActions marked;
    int id;
    /** PROXY headers, pooling and reuse ({@link ConnectionKeywords}). */
    final ConnectionKeywords.Draft connections;
    /** {@code resolvers}, {@code resolve-*} and {@code init-addr} ({@link ResolutionKeywords}). */
    dev.sluice.balancer.runtime.ServerResolution resolution;
    /** {@code track} and the {@code agent-*} settings. */
    dev.sluice.balancer.runtime.HealthSources sources;
    /** {@code ssl} and its family ({@link ServerTlsKeywords}). */
    final ServerTlsKeywords.Draft tls;
    /** {@code source ADDR[:PORT]} ({@link SourceKeywords}). */
    dev.sluice.balancer.runtime.SourceAddress source;

    ServerDraft(ServerOptions from) throws dev.sluice.balancer.config.ConfigException {
        this(from, new ServerTlsKeywords.Defaults());
    }

    /** @param tlsDefaults the {@code global} TLS settings read so far */
    ServerDraft(ServerOptions from, ServerTlsKeywords.Defaults tlsDefaults)
            throws dev.sluice.balancer.config.ConfigException {
        weight = from.weight();
        maxconn = from.maxconn();
        maxqueue = from.maxqueue();
        minconn = from.minconn();
        disabled = from.disabled();
        backup = from.backup();
        check = from.check();
        inter = from.inter();
        fastinter = from.fastinter();
        downinter = from.downinter();
        rise = from.rise();
        fall = from.fall();
        checkPort = from.checkPort();
        checkAddr = from.checkAddr();
        cookie = from.cookie();
        slowstart = from.slowstart();
        observe = from.observe();
        marked = from.marked();
        connections = new ConnectionKeywords.Draft(from.connections());
        resolution = from.resolution();
        sources = from.sources();
        tls = new ServerTlsKeywords.Draft(from.tls(), tlsDefaults);
        source = from.source();
    }

    ServerOptions toOptions() throws dev.sluice.balancer.config.ConfigException {
        return new ServerOptions(weight, maxconn, maxqueue, minconn, disabled, backup, check, inter, fastinter,
                downinter, rise, fall, checkPort, checkAddr, cookie, slowstart, observe, marked, connections.build(),
                resolution, sources, tls.build(check, checkPort == 0 && checkAddr.isEmpty()), source);
    }
}
