package dev.sluice.balancer.peers;

import dev.sluice.balancer.runtime.PeersPlan;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.common.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Every {@code peers} section this process takes part in, running: one {@link PeerNode} each. */
public final class Peers implements AutoCloseable {

    private static final Logger log = LogManager.getLogger(Peers.class);

    public static final Peers NONE = new Peers(PeersPlan.NONE, StickTables.NONE, null, null);

    private final PeersPlan plan;
    private final StickTables tables;
    private final EventLoopGroup group;
    private final Transport transport;
    /** Replaced by {@link #resume()}; read and written by the thread that starts and reloads. */
    private volatile List<PeerNode> nodes = List.of();

    private Peers(PeersPlan plan, StickTables tables, EventLoopGroup group, Transport transport) {
        this.plan = plan;
        this.tables = tables;
        this.group = group;
        this.transport = transport;
    }

    /**
     * Starts a node per section of {@code plan}, each sharing the tables that name it, on one event
     * loop of {@code group}; throws (closing what started) when a local peer address cannot be bound.
     */
    public static Peers start(PeersPlan plan, StickTables tables, EventLoopGroup group, Transport transport) {
        Peers peers = new Peers(plan, tables, group, transport);
        peers.nodes = peers.startNodes();
        return peers;
    }

    private List<PeerNode> startNodes() {
        List<PeerNode> started = new ArrayList<>();
        try {
            for (PeersPlan.Section section : plan.sections()) {
                List<StickTable> shared = tables.all().stream()
                        .filter(t -> t.spec().peers().filter(section.name()::equals).isPresent()).toList();
                started.add(PeerNode.start(section, shared, group.next(), transport));
            }
        } catch (RuntimeException e) {
            started.forEach(PeerNode::close);
            throw e;
        }
        return List.copyOf(started);
    }

    /** The tables of the configuration these peers run for (what a reload carries over). */
    public StickTables tables() {
        return tables;
    }

    public List<PeerNode> nodes() {
        return nodes;
    }

    /**
     * Before a reload starts the new configuration's peers: the new tables shared with peers take the
     * entries of the old tables of the same name and keys (HAProxy keeps them through its local peer;
     * a reload here is in the same process), then these peers stop, freeing the local peer's address.
     */
    public void handOver(StickTables next) {
        for (StickTable table : next.all()) {
            StickTable old = tables.get(table.name());
            if (table.spec().peers().isPresent() && old != null) {
                table.carryOver(old);
            }
        }
        close();
    }

    /** The reload that took over failed: these peers run again, as they were. */
    public void resume() {
        if (plan.isEmpty() || !nodes.isEmpty()) {
            return;
        }
        try {
            nodes = startNodes();
        } catch (RuntimeException e) {
            log.error("reload refused, and the running configuration's peers could not start again: {}",
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        List<PeerNode> running = nodes;
        nodes = List.of();
        running.forEach(PeerNode::close);
    }
}
