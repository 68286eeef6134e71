package dev.sluice.balancer.log;

import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What a {@link LineFormat} reads besides the record while it renders one line: the frontend's
 * name, the clocks' date writers, the end of the exchange and the frontend's line count. One per
 * event-loop thread, filled before each line.
 */
final class LineInputs {
    final Dates local;
    final Dates gmt = new Dates(ZoneOffset.UTC);
    final SampleText sampleText = new SampleText();
    String frontend;
    /** Whether the format belongs to an HTTP proxy (set by the format itself). */
    boolean http = true;
    long endNanos;
    /** Lines this frontend wrote before this one (%lc). */
    long lineNumber;
    /** The request's number from the process counter (%rt); -1 when the format does not show it. */
    long requestNumber = -1;
    /** {@code option logasap}: %B, %Ta, %Tt and %Tu are not final and get HAProxy's {@code +}. */
    boolean logAsap;

    LineInputs(ZoneId zone) {
        local = new Dates(zone);
    }

    LineInputs(Dates local) {
        this.local = local;
    }
}
