package dev.sluice.balancer.log;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * HAProxy's date texts, written without allocating: the part down to the second is rebuilt only
 * when the second changes (one object per thread, used on one thread).
 */
final class Dates {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private final ZoneId zone;
    private long second = Long.MIN_VALUE;
    /** dd/Mon/yyyy:HH:mm:ss */
    private final StringBuilder common = new StringBuilder(20);
    /** Mon dd HH:mm:ss (day padded with a space) */
    private final StringBuilder syslog = new StringBuilder(15);
    /** +hhmm */
    private final StringBuilder offset = new StringBuilder(5);
    /** yyyy-MM-ddTHH:mm:ss */
    private final StringBuilder iso = new StringBuilder(19);

    Dates(ZoneId zone) {
        this.zone = zone;
    }

    /** {@code 24/Nov/2026:13:00:00.123} (%t, %tr). */
    void appendLogDate(StringBuilder out, long epochMillis) {
        refresh(epochMillis);
        out.append(common).append('.');
        pad3(out, (int) Math.floorMod(epochMillis, 1000L));
    }

    /** {@code 24/Nov/2026:13:00:00 +0000} (%trg, CLF). */
    void appendClfDate(StringBuilder out, long epochMillis) {
        refresh(epochMillis);
        out.append(common).append(' ').append(offset);
    }

    /** {@code Nov 24 13:00:00} (RFC 3164 header). */
    void appendSyslogDate(StringBuilder out, long epochMillis) {
        refresh(epochMillis);
        out.append(syslog);
    }

    /** {@code 2026-11-24T13:00:00.123456+00:00} (RFC 5424 header, microseconds as HAProxy). */
    void appendIsoDate(StringBuilder out, long epochMillis) {
        refresh(epochMillis);
        out.append(iso).append('.');
        pad3(out, (int) Math.floorMod(epochMillis, 1000L));
        out.append("000").append(offset, 0, 3).append(':').append(offset, 3, 5);
    }

    private void refresh(long epochMillis) {
        long now = Math.floorDiv(epochMillis, 1000L);
        if (now == second) {
            return;
        }
        second = now;
        ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(now), zone);
        common.setLength(0);
        pad2(common, t.getDayOfMonth());
        common.append('/').append(MONTHS[t.getMonthValue() - 1]).append('/').append(t.getYear()).append(':');
        appendTime(common, t);
        syslog.setLength(0);
        syslog.append(MONTHS[t.getMonthValue() - 1]).append(' ');
        if (t.getDayOfMonth() < 10) {
            syslog.append(' ');
        }
        syslog.append(t.getDayOfMonth()).append(' ');
        appendTime(syslog, t);
        int seconds = t.getOffset().getTotalSeconds();
        offset.setLength(0);
        offset.append(seconds < 0 ? '-' : '+');
        pad2(offset, Math.abs(seconds) / 3600);
        pad2(offset, Math.abs(seconds) / 60 % 60);
        iso.setLength(0);
        iso.append(t.getYear()).append('-');
        pad2(iso, t.getMonthValue());
        iso.append('-');
        pad2(iso, t.getDayOfMonth());
        iso.append('T');
        appendTime(iso, t);
    }

    private static void appendTime(StringBuilder out, ZonedDateTime t) {
        pad2(out, t.getHour());
        out.append(':');
        pad2(out, t.getMinute());
        out.append(':');
        pad2(out, t.getSecond());
    }

    private static void pad2(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }

    static void pad3(StringBuilder out, int value) {
        if (value < 100) {
            out.append('0');
        }
        pad2(out, value);
    }
}
