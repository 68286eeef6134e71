package dev.sluice.balancer.log;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One {@code log} target ready to use.
 *
 * @param kind      where lines go
 * @param address   the syslog server (UDP) or datagram socket path (UNIX); null for STDOUT/STDERR
 * @param format    the header written before each line
 * @param facility  syslog facility code (local0 is 16)
 * @param level     the most verbose level sent (info is 6): access lines are info or err
 * @param maxLength {@code len}: longer lines are cut (HAProxy's default is 1024)
 */
public record LogSink(Kind kind, SocketAddress address, SinkFormat format, int facility, int level, int maxLength,
                      String hostname) {

    /** A sink whose headers carry no host name (no {@code log-send-hostname}). */
    public LogSink(Kind kind, SocketAddress address, SinkFormat format, int facility, int level, int maxLength) {
        this(kind, address, format, facility, level, maxLength, null);
    }

    /** The same sink with {@code log-send-hostname}'s name (null: none) in its RFC 3164 and 5424 headers. */
    public LogSink withHostname(String name) {
        return new LogSink(kind, address, format, facility, level, maxLength, name);
    }

    public static final int DEFAULT_LENGTH = 1_024;
    /** HAProxy's default port for {@code log ADDR} without one. */
    public static final int SYSLOG_PORT = 514;
    private static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2",
            "local3", "local4", "local5", "local6", "local7");
    private static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info",
            "debug");
    static final int LEVEL_ERR = 3;
    static final int LEVEL_INFO = 6;

    public enum Kind { STDOUT, STDERR, UDP, UNIX }

    public LogSink {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(format, "format");
        if ((kind == Kind.UDP || kind == Kind.UNIX) != (address != null)) {
            throw new IllegalArgumentException("address: " + address + " (expected: one for udp and unix targets only)");
        }
        if (facility < 0 || facility >= FACILITIES.size()) {
            throw new IllegalArgumentException("facility: " + facility + " (expected: 0.." + (FACILITIES.size() - 1) + ")");
        }
        if (maxLength < 80 || maxLength > 65_535) {
            throw new IllegalArgumentException("len: " + maxLength + " (expected: 80..65535)");
        }
    }

    /**
     * Reads {@code log TARGET [len N] [format F] [sample R:S] FACILITY [LEVEL [MINLEVEL]]} as the
     * parser checked it: TARGET is stdout, stderr, /path or unix@/path (datagram socket),
     * udp@ADDR[:PORT] or ADDR[:PORT].
     */
    public static LogSink parse(String target, List<String> args) {
        int length = DEFAULT_LENGTH;
        SinkFormat format = null;
        int i = 0;
        while (i + 1 < args.size() && List.of("len", "format", "sample").contains(args.get(i))) {
            switch (args.get(i)) {
                case "len" -> length = Integer.parseInt(args.get(i + 1));
                case "format" -> format = SinkFormat.of(args.get(i + 1));
                default -> { }
            }
            i += 2;
        }
        int facility = FACILITIES.indexOf(args.get(i));
        int level = i + 1 < args.size() ? LEVELS.indexOf(args.get(i + 1)) : LEVELS.size() - 1;
        Kind kind;
        SocketAddress address = null;
        if (target.equals("stdout") || target.equals("stderr")) {
            kind = target.equals("stdout") ? Kind.STDOUT : Kind.STDERR;
            // HAProxy writes to a file descriptor without a syslog header unless told otherwise.
            format = format == null ? SinkFormat.RAW : format;
        } else if (target.startsWith("/") || target.startsWith("unix@")) {
            kind = Kind.UNIX;
            address = UnixDomainSocketAddress.of(target.startsWith("/") ? target : target.substring("unix@".length()));
        } else {
            kind = Kind.UDP;
            String host = target.startsWith("udp@") ? target.substring(4)
                    : target.startsWith("udp4@") || target.startsWith("udp6@") ? target.substring(5) : target;
            address = inet(host);
        }
        return new LogSink(kind, address, format == null ? SinkFormat.RFC3164 : format, facility, level, length);
    }

    private static InetSocketAddress inet(String text) {
        String host = text;
        int port = SYSLOG_PORT;
        int colon = text.lastIndexOf(':');
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                port = Integer.parseInt(text.substring(close + 2));
            }
        } else if (colon > 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            port = Integer.parseInt(text.substring(colon + 1));
        }
        return new InetSocketAddress(host, port);
    }
}
