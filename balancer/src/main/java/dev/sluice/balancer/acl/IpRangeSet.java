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

    private final long[] v4Starts;
    private final long[] v4Ends;
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private IpRangeSet(long[] v4Starts, long[] v4Ends, long[] v6StartHi, long[] v6StartLo, long[] v6EndHi,
            long[] v6EndLo) {
        this.v4Starts = v4Starts;
        this.v4Ends = v4Ends;
        this.v6StartHi = v6StartHi;
        this.v6StartLo = v6StartLo;
        this.v6EndHi = v6EndHi;
        this.v6EndLo = v6EndLo;
    }

    int v4Ranges() {
        return v4Starts.length;
    }

    int v6Ranges() {
        return v6StartHi.length;
    }

    boolean contains(IpAddress address) {
        long v4 = address.embeddedV4();
        if (v4 >= 0 && containsV4(v4)) {
            return true;
        }
        if (!address.v4() || v6StartHi.length > 0) {
            return containsV6(address.hi(), address.lo());
        }
        return false;
    }

    private boolean containsV4(long address) {
        int low = 0;
        int high = v4Starts.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (v4Starts[mid] <= address) {
                if (address <= v4Ends[mid]) {
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
        int high = v6StartHi.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (compare(v6StartHi[mid], v6StartLo[mid], hi, lo) <= 0) {
                if (compare(hi, lo, v6EndHi[mid], v6EndLo[mid]) <= 0) {
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
            long[] starts = new long[v4.size()];
            long[] ends = new long[v4.size()];
            int n = 0;
            for (long[] r : v4) {
                if (n > 0 && r[0] <= ends[n - 1] + 1) {
                    ends[n - 1] = Math.max(ends[n - 1], r[1]);
                } else {
                    starts[n] = r[0];
                    ends[n] = r[1];
                    n++;
                }
            }
            v6.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
            long[] sHi = new long[v6.size()];
            long[] sLo = new long[v6.size()];
            long[] eHi = new long[v6.size()];
            long[] eLo = new long[v6.size()];
            int m = 0;
            for (long[] r : v6) {
                if (m > 0 && touches(eHi[m - 1], eLo[m - 1], r[0], r[1])) {
                    if (compare(r[2], r[3], eHi[m - 1], eLo[m - 1]) > 0) {
                        eHi[m - 1] = r[2];
                        eLo[m - 1] = r[3];
                    }
                } else {
                    sHi[m] = r[0];
                    sLo[m] = r[1];
                    eHi[m] = r[2];
                    eLo[m] = r[3];
                    m++;
                }
            }
            return new IpRangeSet(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), Arrays.copyOf(sHi, m),
                    Arrays.copyOf(sLo, m), Arrays.copyOf(eHi, m), Arrays.copyOf(eLo, m));
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
