package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pattern lists of one configuration that the runtime API can show and change ({@code show
 * map}, {@code add acl}, …), numbered in the order the configuration creates them, as HAProxy
 * numbers its references.
 */
public final class PatternRefs {

    /** Entry references start above small numbers so that they read like the addresses HAProxy prints. */
    private static final long FIRST_ENTRY_ID = 0x5a1ce0000L;

    private final List<PatternRef> refs = new ArrayList<>();
    private final AtomicLong entryIds = new AtomicLong(FIRST_ENTRY_ID);

    public static PatternRefs none() {
        return new PatternRefs();
    }

    synchronized PatternRef create(String file, String description, List<PatternFiles.Entry> lines) {
        List<PatternRef.Entry> entries = new ArrayList<>(lines.size());
        for (PatternFiles.Entry line : lines) {
            entries.add(PatternRef.Entry.of(entryIds.getAndAdd(0x10), line.text(), line.line()));
        }
        PatternRef ref = new PatternRef(refs.size(), file, description, entries, () -> entryIds.getAndAdd(0x10), this);
        refs.add(ref);
        return ref;
    }

    /** Every list, in creation order. */
    public synchronized List<PatternRef> all() {
        return List.copyOf(refs);
    }

    /**
     * The list a runtime API argument names: {@code #ID}, or a file name as the configuration
     * gives it; null when none. {@code map} picks among the lists maps use, otherwise ACLs.
     */
    public PatternRef find(String name, boolean map) {
        for (PatternRef ref : all()) {
            if ((map ? ref.usedByMap() : ref.usedByAcl())
                    && (name.startsWith("#") ? name.substring(1).equals(Integer.toString(ref.id())) : ref.file().equals(name))) {
                return ref;
            }
        }
        return null;
    }
}
