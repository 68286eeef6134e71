package dev.sluice.balancer.stick;

import java.util.Arrays;

/** Where each stored data type lives in an entry's arrays: counters and rates are numbered apart. */
final class Layout {

    private final int[] slots = new int[StickData.values().length];
    private final long[] periods = new long[StickData.values().length];
    private final int counters;
    private final int rates;

    Layout(TableSpec spec) {
        Arrays.fill(slots, -1);
        int c = 0;
        int r = 0;
        for (var e : spec.store().entrySet()) {
            StickData data = e.getKey();
            slots[data.ordinal()] = data.rate() ? r++ : c++;
            periods[data.ordinal()] = e.getValue();
        }
        counters = c;
        rates = r;
    }

    /** The slot of {@code data} in its array, or -1 when it is not stored. */
    int slot(StickData data) {
        return slots[data.ordinal()];
    }

    long period(StickData data) {
        return periods[data.ordinal()];
    }

    int counters() {
        return counters;
    }

    int rates() {
        return rates;
    }
}
