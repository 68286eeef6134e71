package dev.sluice.balancer.acl;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The keys of a {@code map_ip} file: IPv4 and IPv6 networks, each naming an entry, answered with the
 * entry of the most specific network that holds an address (HAProxy's "first of the finest match").
 *
 * <p>Networks are nested or disjoint, so at build time they cut the address space into disjoint
 * segments, each owned by the innermost network covering it; a lookup is then one binary search over
 * the segments' first addresses, with no allocation. Of two identical networks the first in the file
 * wins. An IPv4 address is looked up among the IPv4 networks, then as {@code ::ffff:V4} among the
 * IPv6 ones; an IPv6 address among the IPv6 networks, then, when it carries an IPv4 address, among
 * the IPv4 ones, as HAProxy does.
 */
final class IpPrefixMap {

    private static final BigInteger V6_MASK = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final long V4_MAPPED_HI = 0L;
    private static final long V4_MAPPED_LO_PREFIX = 0xffffL << 32;

    /** IPv4 segments: first and last address, and the entry. */
    private final long[] v4First;
    private final long[] v4Last;
    private final int[] v4Entry;
    /** IPv6 segments: first (hi, lo) and last (hi, lo) addresses, and the entry. */
    private final long[] v6;
    private final int[] v6Entry;

    private IpPrefixMap(List<Segment> v4, List<Segment> v6) {
        v4First = new long[v4.size()];
        v4Last = new long[v4.size()];
        v4Entry = new int[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            Segment s = v4.get(i);
            v4First[i] = s.first.longValue();
            v4Last[i] = s.last.longValue();
            v4Entry[i] = s.entry;
        }
        this.v6 = new long[v6.size() * 4];
        v6Entry = new int[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            Segment s = v6.get(i);
            this.v6[i * 4] = s.first.shiftRight(64).longValue();
            this.v6[i * 4 + 1] = s.first.longValue();
            this.v6[i * 4 + 2] = s.last.shiftRight(64).longValue();
            this.v6[i * 4 + 3] = s.last.longValue();
            v6Entry[i] = s.entry;
        }
    }

    /** The entry of the most specific network holding {@code address}, or -1. */
    int lookup(IpAddress address) {
        if (address.v4()) {
            long v4 = address.v4Bits() & 0xffff_ffffL;
            int entry = lookupV4(v4);
            return entry >= 0 ? entry : lookupV6(V4_MAPPED_HI, V4_MAPPED_LO_PREFIX | v4);
        }
        int entry = lookupV6(address.hi(), address.lo());
        if (entry >= 0) {
            return entry;
        }
        long embedded = address.embeddedV4();
        return embedded >= 0 ? lookupV4(embedded) : -1;
    }

    private int lookupV4(long address) {
        int low = 0;
        int high = v4First.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (v4First[mid] <= address) {
                if (address <= v4Last[mid]) {
                    return v4Entry[mid];
                }
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    private int lookupV6(long hi, long lo) {
        int low = 0;
        int high = v6Entry.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = mid * 4;
            if (compare(v6[at], v6[at + 1], hi, lo) <= 0) {
                if (compare(hi, lo, v6[at + 2], v6[at + 3]) <= 0) {
                    return v6Entry[mid];
                }
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    private static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    /** A network as an inclusive address range, with its entry and its rank in the file. */
    private record Range(BigInteger first, BigInteger last, int entry) {
    }

    /** A piece of the address space and the entry that owns it. */
    private record Segment(BigInteger first, BigInteger last, int entry) {
    }

    static final class Builder {
        private final List<Range> v4 = new ArrayList<>();
        private final List<Range> v6 = new ArrayList<>();

        /** Adds {@code address/prefix} for {@code entry}; entries are added in file order. */
        void add(IpAddress address, int prefix, int entry) {
            if (address.v4()) {
                long first = address.v4Bits() & 0xffff_ffffL & ~((1L << (32 - prefix)) - 1) & 0xffff_ffffL;
                long last = first | ((1L << (32 - prefix)) - 1);
                v4.add(new Range(BigInteger.valueOf(first), BigInteger.valueOf(last), entry));
            } else {
                BigInteger value = BigInteger.valueOf(address.hi()).shiftLeft(64)
                        .or(BigInteger.valueOf(address.lo()).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)))
                        .and(V6_MASK);
                BigInteger hostBits = BigInteger.ONE.shiftLeft(128 - prefix).subtract(BigInteger.ONE);
                BigInteger first = value.andNot(hostBits);
                v6.add(new Range(first, first.or(hostBits), entry));
            }
        }

        IpPrefixMap build() {
            return new IpPrefixMap(segments(v4), segments(v6));
        }

        /**
         * Cuts nested or disjoint ranges into disjoint segments owned by the innermost range: ranges
         * sorted by first address, the wider (then the earlier) first, are walked with a stack of
         * the ranges open at the current address.
         */
        private static List<Segment> segments(List<Range> ranges) {
            List<Range> sorted = new ArrayList<>(ranges);
            sorted.sort(Comparator.comparing(Range::first)
                    .thenComparing(Range::last, Comparator.reverseOrder())
                    .thenComparingInt(Range::entry));
            List<Segment> out = new ArrayList<>();
            Deque<Range> open = new ArrayDeque<>();
            BigInteger cursor = BigInteger.ZERO; // the first address not yet given to a segment
            for (Range r : sorted) {
                while (!open.isEmpty() && open.peek().last().compareTo(r.first()) < 0) {
                    cursor = close(open.pop(), cursor, out);
                }
                Range outer = open.peek();
                if (outer != null && outer.first().equals(r.first()) && outer.last().equals(r.last())) {
                    continue; // the same network again: the first one in the file keeps it
                }
                if (outer != null && cursor.compareTo(r.first()) < 0) {
                    out.add(new Segment(cursor, r.first().subtract(BigInteger.ONE), outer.entry()));
                }
                cursor = r.first();
                open.push(r);
            }
            while (!open.isEmpty()) {
                cursor = close(open.pop(), cursor, out);
            }
            return out;
        }

        private static BigInteger close(Range r, BigInteger cursor, List<Segment> out) {
            if (cursor.compareTo(r.last()) <= 0) {
                out.add(new Segment(cursor, r.last(), r.entry()));
            }
            return r.last().add(BigInteger.ONE).max(cursor);
        }
    }
}
