package dev.sluice.balancer.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which SRV record fills which server of a template, as HAProxy 2.6 does: a server keeps the record
 * ({@code target:port}) it has while the answers carry it; a record missing from the answers for
 * {@code hold obsolete} frees its server; a new record takes the first free server, in the template's
 * order. A record beyond the free servers is not served.
 */
public final class SrvSlots {

    /**
     * One server of the template.
     *
     * @param target        the record's target host name, lower case; null while the server is free
     * @param lastSeenNanos when an answer last carried the record
     */
    public record Slot(String target, int port, int weight, long lastSeenNanos) {
        public static final Slot FREE = new Slot(null, 0, 0, 0);

        public boolean free() {
            return target == null;
        }

        boolean holds(DnsAnswer.SrvRecord record) {
            return target != null && target.equals(key(record.target())) && port == record.port();
        }
    }

    private SrvSlots() {
    }

    /** The slots after a valid answer with {@code records} at {@code nowNanos}. */
    public static List<Slot> apply(List<Slot> slots, List<DnsAnswer.SrvRecord> records, long nowNanos,
                                   Duration obsolete) {
        List<Slot> next = new ArrayList<>(slots);
        boolean[] matched = new boolean[records.size()];
        for (int i = 0; i < next.size(); i++) {
            Slot slot = next.get(i);
            if (slot.free()) {
                continue;
            }
            int found = indexOf(records, slot);
            if (found >= 0) {
                matched[found] = true;
                next.set(i, new Slot(slot.target(), slot.port(), records.get(found).weight(), nowNanos));
            } else if (nowNanos - slot.lastSeenNanos() >= obsolete.toNanos()) {
                next.set(i, Slot.FREE);
            }
        }
        for (int r = 0; r < records.size(); r++) {
            if (matched[r]) {
                continue;
            }
            DnsAnswer.SrvRecord record = records.get(r);
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).free()) {
                    next.set(i, new Slot(key(record.target()), record.port(), record.weight(), nowNanos));
                    break;
                }
            }
        }
        return next;
    }

    private static int indexOf(List<DnsAnswer.SrvRecord> records, Slot slot) {
        for (int r = 0; r < records.size(); r++) {
            if (slot.holds(records.get(r))) {
                return r;
            }
        }
        return -1;
    }

    /** Host names compare without case and without the root's trailing dot. */
    static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
