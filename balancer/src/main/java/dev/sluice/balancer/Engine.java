package dev.sluice.balancer;

import dev.sluice.balancer.runtime.ThreadAffinity;
import dev.sluice.common.net.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What lives as long as the process, across reloads: the event loops, the listening sockets, the
 * configuration serving new connections, and those still draining after a reload.
 */
final class Engine {
    private final Transport transport;
    private final EventLoopGroup group;
    private final int threads;
    private final ThreadAffinity cpuMap;
    private final List<RunningBalancer> retiring = new CopyOnWriteArrayList<>();
    private volatile List<Listener> listeners = List.of();
    private volatile RunningBalancer current;

    Engine(Transport transport, EventLoopGroup group, ThreadAffinity cpuMap) {
        this.transport = transport;
        this.group = group;
        this.cpuMap = cpuMap;
        int count = 0;
        for (EventExecutor ignored : group) {
            count++;
        }
        this.threads = count;
    }

    Transport transport() {
        return transport;
    }

    EventLoopGroup group() {
        return group;
    }

    int threads() {
        return threads;
    }

    /** The {@code cpu-map} the event loops were pinned with at start. */
    ThreadAffinity cpuMap() {
        return cpuMap;
    }

    List<Listener> listeners() {
        return listeners;
    }

    RunningBalancer current() {
        return current;
    }

    void current(RunningBalancer running, List<Listener> open) {
        current = running;
        listeners = List.copyOf(open);
    }

    void retiring(RunningBalancer old) {
        retiring.add(old);
    }

    void retired(RunningBalancer old) {
        retiring.remove(old);
    }

    /** Configurations still finishing connections after a reload. */
    List<RunningBalancer> retiring() {
        return new ArrayList<>(retiring);
    }
}
