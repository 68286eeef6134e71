package dev.sluice.balancer.dns;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.runtime.ResolversPlan;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Run-time resolution of every server that names a host and a {@code resolvers} section: one
 * {@link DnsQueries} per section on one event loop of the balancer, and per backend, name and family one
 * {@link NameResolution} asked every {@code timeout resolve} ({@code timeout retry} after a failure).
 * Stopped with the configuration that started it.
 */
public final class DnsResolvers implements AutoCloseable {

    private static final Logger log = LogManager.getLogger(DnsResolvers.class);

    private final List<DnsQueries> sections;
    private final List<NameResolution> resolutions;
    private volatile boolean closed;

    private DnsResolvers(List<DnsQueries> sections, List<NameResolution> resolutions) {
        this.sections = sections;
        this.resolutions = resolutions;
    }

    /** Starts resolving the dynamic servers of {@code backends}; nothing runs when there is none. */
    public static DnsResolvers start(Collection<Backend> backends, EventLoopGroup group,
                                     Class<? extends DatagramChannel> channelClass) {
        return start(backends, group, channelClass, System::nanoTime);
    }

    static DnsResolvers start(Collection<Backend> backends, EventLoopGroup group,
                              Class<? extends DatagramChannel> channelClass, LongSupplier nanoClock) {
        Map<String, DnsQueries> bySection = new LinkedHashMap<>();
        Map<List<Object>, NameResolution> byName = new LinkedHashMap<>();
        for (Backend backend : backends) {
            for (Server server : backend.servers()) {
                var resolution = server.plan().resolution();
                if (!resolution.dynamic()) {
                    continue;
                }
                ResolversPlan plan = resolution.resolvers().orElseThrow();
                DnsQueries queries = bySection.computeIfAbsent(plan.name(),
                        name -> new DnsQueries(plan, (EventLoop) group.next(), channelClass));
                // As HAProxy, one resolution per name and query type: the family preferred picks the type.
                byName.computeIfAbsent(List.of(plan.name(), backend.name(), resolution.fqdn(), resolution.prefer()),
                        key -> new NameResolution(queries, plan, backend, resolution.fqdn(), nanoClock))
                        .add(server);
            }
        }
        DnsResolvers running = new DnsResolvers(new ArrayList<>(bySection.values()), new ArrayList<>(byName.values()));
        for (NameResolution resolution : running.resolutions) {
            resolution.owner = running;
            resolution.queries.loop().execute(resolution::run);
        }
        if (!running.resolutions.isEmpty()) {
            log.info("dns: resolving {} name(s) with {} resolvers section(s)", running.resolutions.size(),
                    running.sections.size());
        }
        return running;
    }

    /** The names being resolved (for tests and the stats). */
    public int names() {
        return resolutions.size();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        for (NameResolution resolution : resolutions) {
            ScheduledFuture<?> next = resolution.next;
            if (next != null) {
                next.cancel(false);
            }
        }
        for (DnsQueries queries : sections) {
            try {
                queries.loop().execute(queries::close);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The event loops stopped already, and the resolver's channel with them.
            }
        }
    }

    /** Runs the resolution again after {@code millis} on its loop, unless stopped. */
    static void later(NameResolution resolution, long millis) {
        if (resolution.owner.closed) {
            return;
        }
        resolution.next = resolution.queries.loop().schedule(resolution::run, millis, TimeUnit.MILLISECONDS);
    }
}
