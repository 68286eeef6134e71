package dev.sluice.balancer.acl;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * Date converters over an integer date since the epoch: {@code http_date([offset[,unit]])} (an
 * IMF-fixdate, with HAProxy 2.6's fractional part for {@code ms} and {@code us}) and
 * {@code ltime}/{@code utime(format[,offset])} with strftime(3) formats in the C locale. Each thread
 * keeps the last second it formatted, so a log line per request formats a date once per second.
 */
final class TimeConverters {

    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    private TimeConverters() {
    }

    /** The last second a converter formatted on this thread, and its text. */
    private static final class LastSecond {
        long second = Long.MIN_VALUE;
        String text;
    }

    static Converters.Converter httpDate(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 2, new String[] {"integer", "string"});
        long offset = a.isEmpty() || a.get(0).isEmpty() ? 0 : Converters.integerArgument(n, a, 0);
        String unit = a.size() > 1 ? a.get(1) : "s";
        long perSecond = switch (unit) {
            case "s", "" -> 1;
            case "ms" -> 1_000;
            case "us" -> 1_000_000;
            default -> throw AclException.invalid("invalid args in converter '" + n
                    + "' : expects 's', 'ms' or 'us', got '" + unit + "'.");
        };
        ThreadLocal<LastSecond> cache = ThreadLocal.withInitial(LastSecond::new);
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(n, SampleType.STR, false, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                long date = value + offset;
                long second = Math.floorDiv(date, perSecond);
                LastSecond last = cache.get();
                if (last.second != second || last.text == null) {
                    last.text = format("%a, %d %b %Y %H:%M:%S", second, ZoneOffset.UTC);
                    last.second = second;
                }
                StringBuilder b = scratch.take().append(last.text);
                if (perSecond > 1) {
                    b.append('.').append(Math.floorMod(date, perSecond)); // unpadded, as HAProxy 2.6 prints it
                }
                b.append(" GMT");
                return next.string(b, 0, b.length());
            }
        });
    }

    static Converters.Converter ltime(String n, List<String> a, CompileContext c, String e) {
        return strftime(n, a, ZoneId.systemDefault());
    }

    static Converters.Converter utime(String n, List<String> a, CompileContext c, String e) {
        return strftime(n, a, ZoneOffset.UTC);
    }

    private static Converters.Converter strftime(String name, List<String> args, ZoneId zone) {
        Converters.arguments(name, args, 1, 2, new String[] {"string", "integer"});
        String pattern = args.get(0);
        long offset = args.size() > 1 ? Converters.integerArgument(name, args, 1) : 0;
        ThreadLocal<LastSecond> cache = ThreadLocal.withInitial(LastSecond::new);
        return ConverterStages.of(name, SampleType.STR, false, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                long second = value + offset;
                LastSecond last = cache.get();
                if (last.second != second || last.text == null) {
                    last.text = format(pattern, second, zone);
                    last.second = second;
                }
                return next.string(last.text, 0, last.text.length());
            }
        });
    }

    /** strftime(3) in the C locale for the common conversions; an unknown one is copied as written. */
    static String format(String pattern, long epochSecond, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(zone);
        StringBuilder b = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch != '%' || i + 1 == pattern.length()) {
                b.append(ch);
                continue;
            }
            char spec = pattern.charAt(++i);
            switch (spec) {
                case 'a' -> b.append(DAYS[t.getDayOfWeek().ordinal()], 0, 3);
                case 'A' -> b.append(DAYS[t.getDayOfWeek().ordinal()]);
                case 'b', 'h' -> b.append(MONTHS[t.getMonthValue() - 1], 0, 3);
                case 'B' -> b.append(MONTHS[t.getMonthValue() - 1]);
                case 'C' -> two(b, t.getYear() / 100);
                case 'd' -> two(b, t.getDayOfMonth());
                case 'e' -> b.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
                case 'D' -> b.append(format("%m/%d/%y", epochSecond, zone));
                case 'F' -> b.append(format("%Y-%m-%d", epochSecond, zone));
                case 'H' -> two(b, t.getHour());
                case 'I' -> two(b, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case 'j' -> b.append(String.format(Locale.ROOT, "%03d", t.getDayOfYear()));
                case 'm' -> two(b, t.getMonthValue());
                case 'M' -> two(b, t.getMinute());
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
                case 'R' -> b.append(format("%H:%M", epochSecond, zone));
                case 'T' -> b.append(format("%H:%M:%S", epochSecond, zone));
                case 'S' -> two(b, t.getSecond());
                case 's' -> b.append(epochSecond);
                case 'u' -> b.append(t.getDayOfWeek().getValue());
                case 'w' -> b.append(t.getDayOfWeek().getValue() % 7);
                case 'y' -> two(b, Math.floorMod(t.getYear(), 100));
                case 'Y' -> b.append(t.getYear());
                case 'z' -> {
                    int seconds = t.getOffset().getTotalSeconds();
                    b.append(seconds < 0 ? '-' : '+');
                    two(b, Math.abs(seconds) / 3600);
                    two(b, Math.abs(seconds) / 60 % 60);
                }
                case 'Z' -> b.append(zone == ZoneOffset.UTC ? "GMT"
                        : zone.getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case '%' -> b.append('%');
                default -> b.append('%').append(spec);
            }
        }
        return b.toString();
    }

    private static void two(StringBuilder b, int v) {
        if (v < 10) {
            b.append('0');
        }
        b.append(v);
    }
}
