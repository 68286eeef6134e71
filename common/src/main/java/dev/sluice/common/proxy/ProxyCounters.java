package dev.sluice.common.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one listener's PROXY decoders did: headers accepted per version, plain connections passed
 * from untrusted sources, and refusals per reason. One instance per listener, shared by its
 * connections across event loops (hence {@link LongAdder}); injected, never static.
 */
public final class ProxyCounters {
    private final LongAdder acceptedV1 = new LongAdder();
    private final LongAdder acceptedV2 = new LongAdder();
    private final LongAdder passedWithoutHeader = new LongAdder();
    private final LongAdder[] refused = new LongAdder[ProxyRefusal.values().length];

    public ProxyCounters() {
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new LongAdder();
        }
    }

    void accepted(int version) {
        (version == 1 ? acceptedV1 : acceptedV2).increment();
    }

    void passed() {
        passedWithoutHeader.increment();
    }

    void refused(ProxyRefusal reason) {
        refused[reason.ordinal()].increment();
    }

    public long acceptedV1() {
        return acceptedV1.sum();
    }

    public long acceptedV2() {
        return acceptedV2.sum();
    }

    public long passedWithoutHeader() {
        return passedWithoutHeader.sum();
    }

    public long refusals(ProxyRefusal reason) {
        return refused[reason.ordinal()].sum();
    }

    public long refusals() {
        long total = 0;
        for (LongAdder adder : refused) {
            total += adder.sum();
        }
        return total;
    }

    /** Refusals per reason, every reason present, for stats pages. */
    public Map<ProxyRefusal, Long> refusalsByReason() {
        Map<ProxyRefusal, Long> snapshot = new EnumMap<>(ProxyRefusal.class);
        for (ProxyRefusal reason : ProxyRefusal.values()) {
            snapshot.put(reason, refusals(reason));
        }
        return snapshot;
    }

    @Override
    public String toString() {
        return "ProxyCounters[v1=" + acceptedV1() + ", v2=" + acceptedV2() + ", plain=" + passedWithoutHeader()
                + ", refused=" + refusalsByReason() + "]";
    }
}
