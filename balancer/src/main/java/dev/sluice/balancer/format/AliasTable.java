package dev.sluice.balancer.format;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code %X} aliases a log-format string may use, by name. {@link #STANDARD} holds those that
 * read only the request, the connection and the proxy names; the access log adds its timers and
 * termination state with {@link #with}, reading them from its own {@link FormatContext} subtype.
 * An alias HAProxy knows but this table lacks is refused with the reason from {@link #DEFERRED}.
 */
public final class AliasTable {

    /** HAProxy 2.6 aliases that need the access log's timers, byte counts or termination state. */
    static final Set<String> DEFERRED = Set.of("Ta", "Tc", "Th", "Ti", "Tq", "Tr", "TR", "Tt", "Tu",
            "Tw", "ST", "B", "U", "ts", "tsc", "CC", "CS", "hr", "hrl", "hs", "hsl", "ac", "bc", "bq", "sc", "sq",
            "rc", "lc", "tr", "trg", "trl", "bi", "bp", "si", "sp", "o", "sslc", "sslv", "cc", "ft");

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};
    private static final String HOST_NAME = hostName();
    private static final long PID = ProcessHandle.current().pid();

    public static final AliasTable STANDARD = standard();

    private final Map<String, Alias> aliases;

    private AliasTable(Map<String, Alias> aliases) {
        this.aliases = Map.copyOf(aliases);
    }

    /** This table plus {@code name}, replacing an alias of that name. */
    public AliasTable with(String name, Alias alias) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(alias, "alias");
        Map<String, Alias> more = new HashMap<>(aliases);
        more.put(name, alias);
        return new AliasTable(more);
    }

    /** The alias called {@code name}, or null. */
    public Alias get(String name) {
        return aliases.get(name);
    }

    private static AliasTable standard() {
        Map<String, Alias> a = new HashMap<>();
        a.put("ci", (out, c) -> address(out, c.request().source()));
        a.put("cp", (out, c) -> number(out, c.request().sourcePort()));
        a.put("fi", (out, c) -> address(out, c.request().destination()));
        a.put("fp", (out, c) -> number(out, c.request().destinationPort()));
        a.put("fc", (out, c) -> number(out, c.request().state().frontendConnections(null)));
        a.put("f", (out, c) -> text(out, c.frontendName()));
        a.put("b", (out, c) -> text(out, c.backendName()));
        a.put("s", (out, c) -> text(out, c.serverName()));
        a.put("H", (out, c) -> text(out, HOST_NAME));
        a.put("HM", (out, c) -> text(out, c.request().method()));
        a.put("HU", (out, c) -> text(out, c.request().uri()));
        a.put("HP", (out, c) -> path(out, c.request()));
        a.put("HQ", (out, c) -> query(out, c.request()));
        a.put("HV", (out, c) -> version(out, c.request()));
        a.put("r", (out, c) -> requestLine(out, c.request()));
        a.put("ID", (out, c) -> text(out, c.uniqueId()));
        a.put("rt", (out, c) -> c.requestCounter() >= 0 && number(out, c.requestCounter()));
        a.put("t", (out, c) -> date(out, c.acceptedAtMillis()));
        // The accept date in other shapes: New Relic's and others' "X-Request-Start: t=%Ts%ms".
        a.put("Ts", (out, c) -> number(out, Math.floorDiv(c.acceptedAtMillis(), 1000L)));
        a.put("ms", (out, c) -> milliseconds(out, c.acceptedAtMillis()));
        a.put("T", (out, c) -> zonedDate(out, c.acceptedAtMillis(), java.time.ZoneOffset.UTC));
        a.put("Tl", (out, c) -> zonedDate(out, c.acceptedAtMillis(), ZoneId.systemDefault()));
        a.put("pid", (out, c) -> number(out, PID));
        return new AliasTable(a);
    }

    static boolean text(StringBuilder out, CharSequence value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        out.append(value);
        return true;
    }

    static boolean number(StringBuilder out, long value) {
        if (value < 0) {
            return false;
        }
        out.append(value);
        return true;
    }

    private static boolean address(StringBuilder out, IpAddress address) {
        if (address == null) {
            return false;
        }
        out.append(address.toString());
        return true;
    }

    private static int queryStart(CharSequence uri) {
        for (int i = 0; i < uri.length(); i++) {
            if (uri.charAt(i) == '?') {
                return i;
            }
        }
        return uri.length();
    }

    private static boolean path(StringBuilder out, RequestView request) {
        CharSequence uri = request.uri();
        if (uri == null) {
            return false;
        }
        out.append(uri, 0, queryStart(uri));
        return true;
    }

    private static boolean query(StringBuilder out, RequestView request) {
        CharSequence uri = request.uri();
        if (uri == null) {
            return false;
        }
        int q = queryStart(uri);
        if (q == uri.length()) {
            return false;
        }
        out.append(uri, q, uri.length());
        return true;
    }

    private static boolean version(StringBuilder out, RequestView request) {
        CharSequence v = request.version();
        if (v == null) {
            return false;
        }
        out.append("HTTP/").append(v);
        return true;
    }

    private static boolean requestLine(StringBuilder out, RequestView request) {
        if (request.method() == null) {
            return false;
        }
        out.append(request.method()).append(' ').append(request.uri()).append(' ');
        version(out, request);
        return true;
    }

    /** HAProxy's {@code %t}: {@code 24/Nov/2026:13:45:01.123}, local time. */
    private static boolean date(StringBuilder out, long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault());
        two(out, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/').append(t.getYear())
                .append(':');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond()).append('.');
        int ms = (int) Math.floorMod(millis, 1000L);
        out.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        return true;
    }

    /** HAProxy's {@code %ms}: the milliseconds of the accept date, three digits. */
    private static boolean milliseconds(StringBuilder out, long millis) {
        int ms = (int) Math.floorMod(millis, 1000L);
        out.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        return true;
    }

    /** HAProxy's {@code %T} (GMT) and {@code %Tl} (local): {@code 24/Nov/2026:13:45:01 +0000}. */
    private static boolean zonedDate(StringBuilder out, long millis, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
        two(out, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/').append(t.getYear())
                .append(':');
        two(out, t.getHour()).append(':');
        two(out, t.getMinute()).append(':');
        two(out, t.getSecond()).append(' ');
        int offsetMinutes = t.getOffset().getTotalSeconds() / 60;
        out.append(offsetMinutes < 0 ? '-' : '+');
        int abs = Math.abs(offsetMinutes);
        two(out, abs / 60);
        two(out, abs % 60);
        return true;
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
