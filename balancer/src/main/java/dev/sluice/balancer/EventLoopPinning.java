package dev.sluice.balancer;

import dev.sluice.balancer.runtime.ThreadAffinity;
import dev.sluice.common.os.CpuAffinity;
import dev.sluice.common.os.CpuList;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Applies {@code cpu-map} at start: event loop N (1-based, HAProxy's thread N) pins itself, from
 * its own thread, to its CPUs. CPUs this process may not use are left out with a warning, as is
 * the pinning of a loop none of whose CPUs remain; the balancer starts either way, as HAProxy does.
 */
final class EventLoopPinning {
    private static final Logger log = LogManager.getLogger(EventLoopPinning.class);
    private static final long WAIT_SECONDS = 5;

    private EventLoopPinning() {
    }

    static void apply(EventLoopGroup group, ThreadAffinity map) {
        if (map.isEmpty()) {
            return;
        }
        BitSet allowed;
        try {
            allowed = CpuAffinity.allowed();
        } catch (CpuAffinity.AffinityException e) {
            log.warn("cpu-map not applied: {}", e.getMessage());
            return;
        }
        // Start every loop's thread from here first: a thread started later by a pinned loop (an
        // accept handing a connection to an idle loop) would inherit that loop's CPUs.
        List<Future<?>> started = new ArrayList<>();
        for (EventExecutor loop : group) {
            started.add(loop.submit(() -> { }));
        }
        await(started);
        List<Future<?>> pinned = new ArrayList<>();
        int thread = 0;
        for (EventExecutor loop : group) {
            thread++;
            BitSet wanted = map.cpusOf(thread);
            if (wanted == null) {
                continue;
            }
            BitSet usable = (BitSet) wanted.clone();
            usable.and(allowed);
            if (usable.isEmpty()) {
                log.warn("cpu-map: thread {} not pinned: CPUs {} are not available to this process (allowed: {})",
                        thread, CpuList.format(wanted), CpuList.format(allowed));
                continue;
            }
            if (!usable.equals(wanted)) {
                log.warn("cpu-map: thread {}: CPUs {} left out, not available to this process", thread,
                        CpuList.format(without(wanted, allowed)));
            }
            int number = thread;
            pinned.add(loop.submit(() -> pin(number, usable)));
        }
        await(pinned);
    }

    private static void await(List<Future<?>> tasks) {
        for (Future<?> done : tasks) {
            done.awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static void pin(int thread, BitSet cpus) {
        try {
            CpuAffinity.pinCurrentThread(cpus);
            log.debug("cpu-map: thread {} pinned to CPUs {}", thread, CpuList.format(cpus));
        } catch (CpuAffinity.AffinityException e) {
            log.warn("cpu-map: thread {} not pinned to CPUs {}: {}", thread, CpuList.format(cpus), e.getMessage());
        }
    }

    private static BitSet without(BitSet cpus, BitSet allowed) {
        BitSet rest = (BitSet) cpus.clone();
        rest.andNot(allowed);
        return rest;
    }
}
