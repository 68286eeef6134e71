package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A set of IPv4 and IPv6 networks, answered by binary search over sorted, merged, disjoint ranges.
 *
 * <p>Every network becomes the range [first address, last address]; overlapping and adjacent
 * ranges are merged at build time, so a lookup is one binary search: O(log n) comparisons on
 * primitive arrays, no allocation, and about 16 bytes (IPv4) or 32 bytes (IPv6) per range. With
 * 100,000 networks that is at most 17 steps. Membership is all an ACL needs (which entry matched
 * does not matter), which is why merging is allowed here; maps keep their entries apart.
 *
 * <p>Cross-family rules are HAProxy's: an IPv4 sample is also tried as {@code ::ffff:V4} against
 * IPv6 networks; an IPv6 sample carrying an IPv4 address ({@code ::ffff:V4}, {@code ::V4},
 * {@code 2002:V4::}) is also tried against IPv4 networks.
 */
final class IpRangeSet {

    /** IPv4 ranges, one long each: first address in the high half, last address in the low half. */
    private final long[] v4;
    /** IPv6 ranges, four longs each: first (high, low), last (high, low); one cache line per probe. */
    private final long[] v6;

    private IpRangeSet(long[] v4, long[] v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    int v4Ranges() {
        return v4.length;
    }

    int v6Ranges() {
        return v6.length / 4;
    }

    boolean contains(IpAddress address) {
        long embedded = address.embeddedV4();
        if (embedded >= 0 && containsV4(embedded)) {
            return true;
        }
        return v6.length > 0 && containsV6(address.hi(), address.lo());
    }

    private boolean containsV4(long address) {
        int low = 0;
        int high = v4.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long range = v4[mid];
            if (range >>> 32 <= address) {
                if (address <= (range & 0xffff_ffffL)) {
                    return true;
                }
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return false;
    }

    private boolean containsV6(long hi, long lo) {
        int low = 0;
        int high = v6.length / 4 - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = mid * 4;
            if (compare(v6[at], v6[at + 1], hi, lo) <= 0) {
                if (compare(hi, lo, v6[at + 2], v6[at + 3]) <= 0) {
                    return true;
                }
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return false;
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    static final class Builder {
        private final List<long[]> v4 = new ArrayList<>();
        private final List<long[]> v6 = new ArrayList<>();

        /** Adds a network: for an IPv4 address the prefix counts IPv4 bits (0–32), else 0–128. */
        Builder add(IpAddress network, int prefix) {
            if (network.v4()) {
                long start = network.mask(prefix).v4Bits() & 0xffff_ffffL;
                long size = prefix == 0 ? 1L << 32 : 1L << (32 - prefix);
                v4.add(new long[] {start, start + size - 1});
            } else {
                long startHi = network.hi() & IpAddress.highMask(prefix);
                long startLo = network.lo() & IpAddress.lowMask(prefix);
                v6.add(new long[] {startHi, startLo, startHi | ~IpAddress.highMask(prefix),
                        startLo | ~IpAddress.lowMask(prefix)});
            }
            return this;
        }

        IpRangeSet build() {
            v4.sort(Comparator.comparingLong(r -> r[0]));
            long[] packed = new long[v4.size()];
            int n = 0;
            long lastEnd = -2;
            for (long[] r : v4) {
                if (n > 0 && r[0] <= lastEnd + 1) {
                    lastEnd = Math.max(lastEnd, r[1]);
                    packed[n - 1] = (packed[n - 1] & 0xffff_ffff_0000_0000L) | lastEnd;
                } else {
                    lastEnd = r[1];
                    packed[n++] = (r[0] << 32) | r[1];
                }
            }
            v6.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
            long[] ranges = new long[v6.size() * 4];
            int m = 0;
            for (long[] r : v6) {
                int last = (m - 1) * 4;
                if (m > 0 && touches(ranges[last + 2], ranges[last + 3], r[0], r[1])) {
                    if (compare(r[2], r[3], ranges[last + 2], ranges[last + 3]) > 0) {
                        ranges[last + 2] = r[2];
                        ranges[last + 3] = r[3];
                    }
                } else {
                    System.arraycopy(r, 0, ranges, m * 4, 4);
                    m++;
                }
            }
            return new IpRangeSet(Arrays.copyOf(packed, n), Arrays.copyOf(ranges, m * 4));
        }

        /** Whether a range starting at (hi, lo) overlaps or directly follows one ending at (endHi, endLo). */
        private static boolean touches(long endHi, long endLo, long hi, long lo) {
            if (compare(hi, lo, endHi, endLo) <= 0) {
                return true;
            }
            long nextLo = endLo + 1;
            long nextHi = nextLo == 0 ? endHi + 1 : endHi;
            return !(endHi == -1L && endLo == -1L) && nextHi == hi && nextLo == lo;
        }
    }
}
