package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The compiled patterns of one ACL line under one matching method. It is the terminal sink of the
 * line's sample pipeline: it answers {@code true} as soon as one value matches one pattern.
 *
 * <p>Costs per value: {@code str} one hash lookup (two when both case-sensitive and {@code -i}
 * patterns exist); {@code ip} one binary search over merged ranges; {@code int}/{@code len} a scan of
 * the ranges; {@code beg/end/sub/dir/dom/bin} a scan of the patterns; {@code reg} one
 * {@link java.util.regex.Matcher} per pattern and thread, reset on each use, compiled once. None of
 * these allocate, except casting a non-string sample to a string for a string method.
 */
final class Matcher implements SampleSink {

    private record Literal(String text, boolean ignoreCase) {
    }

    private final MatchMethod method;
    private final long[] low;
    private final long[] high;
    private final IpRangeSet ips;
    private final StringTable<Boolean> exact;
    private final StringTable<Boolean> exactIgnoreCase;
    private final Literal[] literals;
    private final ThreadLocal<java.util.regex.Matcher>[] regexes;
    private final byte[][] blocks;

    private Matcher(Builder b) {
        method = b.method;
        low = b.low.stream().mapToLong(Long::longValue).toArray();
        high = b.high.stream().mapToLong(Long::longValue).toArray();
        ips = b.ips.build();
        List<String> sensitive = new ArrayList<>();
        List<String> insensitive = new ArrayList<>();
        for (Literal l : b.literals) {
            (l.ignoreCase() ? insensitive : sensitive).add(l.text());
        }
        exact = method == MatchMethod.STR && !sensitive.isEmpty()
                ? new StringTable<>(sensitive, java.util.Collections.nCopies(sensitive.size(), Boolean.TRUE), false)
                : null;
        exactIgnoreCase = method == MatchMethod.STR && !insensitive.isEmpty()
                ? new StringTable<>(insensitive, java.util.Collections.nCopies(insensitive.size(), Boolean.TRUE), true)
                : null;
        literals = b.literals.toArray(new Literal[0]);
        @SuppressWarnings("unchecked")
        ThreadLocal<java.util.regex.Matcher>[] compiled = new ThreadLocal[b.regexes.size()];
        for (int i = 0; i < compiled.length; i++) {
            Pattern p = b.regexes.get(i);
            compiled[i] = ThreadLocal.withInitial(() -> p.matcher(""));
        }
        regexes = compiled;
        blocks = b.blocks.toArray(new byte[0][]);
    }

    @Override
    public boolean string(CharSequence s, int from, int to) {
        switch (method) {
            case FOUND:
                return true;
            case BOOL:
            case INT:
                // HAProxy casts the string to an integer first: leading digits, 0 when none.
                return from < to && integer(Text.castInteger(s, from, to));
            case LEN:
                return inRanges(to - from);
            case IP: {
                IpAddress a = IpAddress.parse(s, from, to);
                return a != null && ips.contains(a);
            }
            case STR:
                return exact != null && exact.get(s, from, to) != null
                        || exactIgnoreCase != null && exactIgnoreCase.get(s, from, to) != null;
            case REG:
                for (ThreadLocal<java.util.regex.Matcher> local : regexes) {
                    java.util.regex.Matcher m = local.get();
                    m.reset(s);
                    m.region(from, to);
                    boolean found = m.find();
                    m.reset(""); // do not keep the request's characters reachable from the thread
                    if (found) {
                        return true;
                    }
                }
                return false;
            case BIN:
                for (byte[] block : blocks) {
                    if (sameBytes(s, from, to, block)) {
                        return true;
                    }
                }
                return false;
            default:
                for (Literal l : literals) {
                    if (matchesLiteral(s, from, to, l)) {
                        return true;
                    }
                }
                return false;
        }
    }

    private boolean matchesLiteral(CharSequence s, int from, int to, Literal l) {
        return switch (method) {
            case BEG -> Text.startsWith(s, from, to, l.text(), l.ignoreCase());
            case END -> Text.endsWith(s, from, to, l.text(), l.ignoreCase());
            case SUB -> Text.indexOf(s, from, to, l.text(), l.ignoreCase()) >= 0;
            case DIR -> Text.containsWord(s, from, to, l.text(), l.ignoreCase(), false);
            case DOM -> Text.containsWord(s, from, to, l.text(), l.ignoreCase(), true);
            default -> false;
        };
    }

    private static boolean sameBytes(CharSequence s, int from, int to, byte[] block) {
        if (to - from != block.length) {
            return false;
        }
        for (int i = 0; i < block.length; i++) {
            if (s.charAt(from + i) != (block[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    private boolean inRanges(long value) {
        for (int i = 0; i < low.length; i++) {
            if (value >= low[i] && value <= high[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean integer(long value) {
        return switch (method) {
            case FOUND -> true;
            case BOOL -> value != 0;
            case INT -> inRanges(value);
            case IP -> ips.contains(IpAddress.ofV4((int) value));
            default -> Sinks.formatInteger(value, this);
        };
    }

    @Override
    public boolean ip(IpAddress address) {
        return switch (method) {
            case FOUND -> true;
            case IP -> ips.contains(address);
            case INT, BOOL -> address.v4() && integer(address.v4Bits() & 0xffff_ffffL);
            default -> {
                String text = address.toString();
                yield string(text, 0, text.length());
            }
        };
    }

    @Override
    public boolean bool(boolean value) {
        return switch (method) {
            case FOUND -> true;
            case BOOL -> value;
            default -> integer(value ? 1 : 0);
        };
    }

    /** Collects the patterns of one ACL line, parsing each as its method requires. */
    static final class Builder {
        private final MatchMethod method;
        private final List<Long> low = new ArrayList<>();
        private final List<Long> high = new ArrayList<>();
        private final IpRangeSet.Builder ips = new IpRangeSet.Builder();
        private final List<Literal> literals = new ArrayList<>();
        private final List<Pattern> regexes = new ArrayList<>();
        private final List<byte[]> blocks = new ArrayList<>();
        private String operator;
        private int patterns;

        Builder(MatchMethod method) {
            this.method = method;
        }

        int patterns() {
            return patterns;
        }

        /** Adds one pattern word (or an integer operator) given on the line or read from a file. */
        void add(String text, boolean ignoreCase) {
            switch (method) {
                case FOUND, BOOL -> {
                    // HAProxy ignores patterns of these methods.
                }
                case INT, LEN -> addInteger(text);
                case IP -> addIp(text);
                case REG -> {
                    try {
                        regexes.add(Pattern.compile(text, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
                    } catch (PatternSyntaxException e) {
                        throw AclException.invalid("regex '" + text + "' is invalid (error=" + e.getDescription()
                                + ", erroffset=" + e.getIndex() + ")");
                    }
                }
                case BIN -> {
                    try {
                        if (text.length() % 2 != 0) {
                            throw new IllegalArgumentException();
                        }
                        blocks.add(HexFormat.of().parseHex(text));
                    } catch (IllegalArgumentException e) {
                        throw AclException.invalid("'" + text + "' is not a valid hex string");
                    }
                }
                case DIR -> literals.add(new Literal(Text.stripDelimiters(text, false), ignoreCase));
                case DOM -> literals.add(new Literal(Text.stripDelimiters(text, true), ignoreCase));
                default -> literals.add(new Literal(text, ignoreCase));
            }
            patterns++;
        }

        private void addInteger(String text) {
            switch (text) {
                case "eq", "ge", "gt", "le", "lt" -> {
                    operator = text;
                    patterns--;
                    return;
                }
                default -> {
                }
            }
            if (text.indexOf(':') >= 0) {
                long[] bounds = Text.integerRange(text);
                if (bounds == null) {
                    throw AclException.invalid("'" + text + "' is not a valid number range");
                }
                range(bounds[0], bounds[1]);
                return;
            }
            Long v = Text.parseLong(text);
            if (v == null) {
                throw AclException.invalid(operator == null ? "'" + text + "' is not a number"
                        : "'" + text + "' is neither a number nor a supported operator");
            }
            String op = operator == null ? "eq" : operator;
            long value = v;
            switch (op) {
                case "ge" -> range(value, Long.MAX_VALUE);
                case "gt" -> range(value == Long.MAX_VALUE ? value : value + 1, value == Long.MAX_VALUE ? value - 1 : Long.MAX_VALUE);
                case "le" -> range(Long.MIN_VALUE, value);
                case "lt" -> range(value == Long.MIN_VALUE ? value + 1 : Long.MIN_VALUE, value == Long.MIN_VALUE ? value : value - 1);
                default -> range(value, value);
            }
        }

        private void range(long a, long b) {
            low.add(a);
            high.add(b);
        }

        private void addIp(String text) {
            Networks.Network n = Networks.parse(text);
            if (n == null) {
                if (Networks.looksLikeHostName(text)) {
                    throw AclException.unsupported("'" + text + "' is a host name; Sluice does not resolve names in"
                            + " ACL patterns, give the address");
                }
                throw AclException.invalid("'" + text + "' is not a valid IPv4 or IPv6 address");
            }
            ips.add(n.address(), n.prefix());
        }

        Matcher build() {
            return new Matcher(this);
        }
    }
}
