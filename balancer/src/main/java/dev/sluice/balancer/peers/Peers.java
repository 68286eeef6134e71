package dev.sluice.balancer.peers;

import dev.sluice.balancer.runtime.PeersPlan;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.balancer.stick.StickTables;
import dev.sluice.common.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;

/** Every {@code peers} section this process takes part in, running: one {@link PeerNode} each. */
public final class Peers implements AutoCloseable {

    public static final Peers NONE = new Peers(List.of(), StickTables.NONE);

    private final List<PeerNode> nodes;
    private final StickTables tables;

    private Peers(List<PeerNode> nodes, StickTables tables) {
        this.nodes = List.copyOf(nodes);
        this.tables = tables;
    }

    /** The tables of the configuration these peers run for (what a reload carries over). */
    public StickTables tables() {
        return tables;
    }

    /**
     * Before a reload starts the new configuration's peers: the new tables shared with peers take the
     * entries of the old tables of the same name and keys (HAProxy keeps them through its local peer;
     * a reload here is in the same process), then the old peers stop, freeing the local peer's address.
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

    /**
     * Starts a node per section of {@code plan}, each sharing the tables that name it, on one event
     * loop of {@code group}; throws (closing what started) when a local peer address cannot be bound.
     */
    public static Peers start(PeersPlan plan, StickTables tables, EventLoopGroup group, Transport transport) {
        List<PeerNode> nodes = new ArrayList<>();
        try {
            for (PeersPlan.Section section : plan.sections()) {
                List<StickTable> shared = tables.all().stream()
                        .filter(t -> t.spec().peers().filter(section.name()::equals).isPresent()).toList();
                nodes.add(PeerNode.start(section, shared, group.next(), transport));
            }
        } catch (RuntimeException e) {
            nodes.forEach(PeerNode::close);
            throw e;
        }
        return new Peers(nodes, tables);
    }

    public List<PeerNode> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        nodes.forEach(PeerNode::close);
    }
}
