package dev.sluice.balancer.backend;

import dev.sluice.balancer.lb.LoadBalancer;
import dev.sluice.balancer.lb.ServerSet;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One {@link LoadBalancer} per event loop over the backend's current {@link ServerSet}. A pick compares the
 * loop's set with the published one (a volatile read and an identity check, no lock); when a rebuild
 * replaced it, the loop takes a new balancer over the new set, carrying its round-robin credit over.
 */
final class LoopPickers {

    /** A loop's balancer and the set it was built over. */
    private static final class Slot {
        ServerSet set;
        LoadBalancer balancer;
    }

    private final Supplier<ServerSet> current;
    private final FastThreadLocal<Slot> slots = new FastThreadLocal<>() {
        @Override
        protected Slot initialValue() {
            return new Slot();
        }
    };

    LoopPickers(Supplier<ServerSet> current) {
        this.current = current;
    }

    /** The calling loop's balancer over the current set. */
    LoadBalancer get() {
        Slot slot = slots.get();
        ServerSet now = current.get();
        if (slot.set != now) {
            slot.balancer = slot.balancer == null ? now.newLoadBalancer()
                    : now.newLoadBalancer(new SplittableRandom(), slot.balancer);
            slot.set = now;
        }
        return slot.balancer;
    }
}
