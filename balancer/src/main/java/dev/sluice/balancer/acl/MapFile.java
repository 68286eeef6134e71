package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A map file ({@code map_MATCH_OUTPUT(FILE)}): one key and value a line, the key being the first
 * word and the value the rest of the line, trimmed. A lookup returns the entry's index, whose value
 * was parsed at load time into the output type.
 *
 * <p>How keys are searched is HAProxy's: exact strings are hashed (O(1)); {@code beg} returns the
 * longest matching prefix and {@code ip} the most specific network ({@link IpPrefixMap}), as its
 * trees do; {@code end}, {@code sub}, {@code dir}, {@code dom}, {@code reg} and {@code int} (a
 * number or a {@code LOW:HIGH} range) scan the keys in file order and return the first match, as
 * its lists do.
 */
final class MapFile {

    private final MatchMethod method;
    private final StringTable<Integer> exact;
    private final IpPrefixMap networks;
    private final String[] keys;
    private final ThreadLocal<java.util.regex.Matcher>[] regexes;
    private final long[] low;
    private final long[] high;
    private final String[] values;
    private final long[] integers;
    private final IpAddress[] addresses;

    @SuppressWarnings("unchecked")
    private MapFile(MatchMethod method, SampleType output, List<PatternRef.Entry> entries, String file) {
        this.method = method;
        int n = entries.size();
        List<String> keyList = new ArrayList<>(n);
        values = new String[n];
        integers = output == SampleType.INT ? new long[n] : null;
        addresses = output == SampleType.IP ? new IpAddress[n] : null;
        regexes = method == MatchMethod.REG ? new ThreadLocal[n] : null;
        low = method == MatchMethod.INT ? new long[n] : null;
        high = method == MatchMethod.INT ? new long[n] : null;
        IpPrefixMap.Builder ips = method == MatchMethod.IP ? new IpPrefixMap.Builder() : null;
        for (int i = 0; i < n; i++) {
            PatternRef.Entry e = entries.get(i);
            try {
                keyList.add(addKey(e.key(), i, ips));
                values[i] = e.value();
                parseValue(output, e.value(), i);
            } catch (AclException problem) {
                throw e.line() <= 0 ? problem : new AclException(problem.kind(), problem.getMessage() + " at line "
                        + e.line() + " of file '" + file + "'");
            }
        }
        this.keys = keyList.toArray(new String[0]);
        this.exact = method == MatchMethod.STR ? new StringTable<>(keyList, indexes(n), false) : null;
        this.networks = ips == null ? null : ips.build();
    }

    private String addKey(String key, int entry, IpPrefixMap.Builder ips) {
        switch (method) {
            case DIR, DOM -> {
                return Text.stripDelimiters(key, method == MatchMethod.DOM);
            }
            case REG -> {
                Pattern p;
                try {
                    p = Pattern.compile(key);
                } catch (PatternSyntaxException e) {
                    throw AclException.invalid("regex '" + key + "' is invalid (error=" + e.getDescription()
                            + ", erroffset=" + e.getIndex() + ")");
                }
                regexes[entry] = ThreadLocal.withInitial(() -> p.matcher(""));
            }
            case INT -> {
                long[] bounds = Text.integerRange(key);
                if (bounds == null) {
                    throw AclException.invalid("'" + key + "' is not a number");
                }
                low[entry] = bounds[0];
                high[entry] = bounds[1];
            }
            case IP -> {
                Networks.Network network = Networks.parse(key);
                if (network == null) {
                    throw AclException.invalid("'" + key + "' is not a valid IPv4 or IPv6 address");
                }
                ips.add(network.address(), network.prefix(), entry);
            }
            default -> {
            }
        }
        return key;
    }

    private void parseValue(SampleType output, String value, int entry) {
        if (output == SampleType.INT) {
            Long v = Text.parseLong(value);
            if (v == null) {
                throw AclException.invalid("unable to parse '" + value + "'");
            }
            integers[entry] = v;
        } else if (output == SampleType.IP) {
            IpAddress a = IpAddress.parse(value);
            if (a == null) {
                throw AclException.invalid("unable to parse '" + value + "'");
            }
            addresses[entry] = a;
        }
    }

    private static List<Integer> indexes(int n) {
        List<Integer> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    /** The map of {@code entries}; refuses (with the file's line) a key or a value that does not parse. */
    static MapFile of(MatchMethod method, SampleType output, List<PatternRef.Entry> entries, String file) {
        return new MapFile(method, output, entries, file);
    }

    /** Whether the entries are searched in a tree (one answer) or in a list (first match), as {@code get map} says. */
    boolean tree() {
        return method == MatchMethod.STR || method == MatchMethod.BEG || method == MatchMethod.IP;
    }

    String key(int entry) {
        return keys[entry];
    }

    String value(int entry) {
        return values[entry];
    }

    long integer(int entry) {
        return integers[entry];
    }

    IpAddress address(int entry) {
        return addresses[entry];
    }

    /** The entry whose integer key or range holds {@code v}, or -1. */
    int lookup(long v) {
        for (int i = 0; i < low.length; i++) {
            if (low[i] <= v && v <= high[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The entry of the most specific network holding {@code address}, or -1. */
    int lookup(IpAddress address) {
        return networks.lookup(address);
    }

    /** The entry for s[from, to), or -1. */
    int lookup(CharSequence s, int from, int to) {
        if (exact != null) {
            Integer entry = exact.get(s, from, to);
            return entry == null ? -1 : entry;
        }
        int best = -1;
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            boolean hit = switch (method) {
                case BEG -> Text.startsWith(s, from, to, k, false);
                case END -> Text.endsWith(s, from, to, k, false);
                case SUB -> Text.indexOf(s, from, to, k, false) >= 0;
                case DIR -> Text.containsWord(s, from, to, k, false, false);
                case DOM -> Text.containsWord(s, from, to, k, false, true);
                default -> false;
            };
            if (hit) {
                if (method != MatchMethod.BEG) {
                    return i;
                }
                if (best < 0 || k.length() > keys[best].length()) {
                    best = i;
                }
            }
        }
        return best;
    }

    /**
     * The first entry whose regular expression finds a match in s[from, to), or -1. With
     * {@code expand} given ({@code map_regm}), it receives the entry's value with each {@code \N}
     * replaced by the text of group N of that match (empty when the group did not take part).
     */
    int lookupRegex(CharSequence s, int from, int to, StringBuilder expand) {
        for (int i = 0; i < regexes.length; i++) {
            java.util.regex.Matcher m = regexes[i].get();
            m.reset(s);
            m.region(from, to);
            try {
                if (m.find()) {
                    if (expand != null) {
                        expand(values[i], s, m, expand);
                    }
                    return i;
                }
            } finally {
                m.reset(""); // do not keep the request's characters reachable from the thread
            }
        }
        return -1;
    }

    private static void expand(String value, CharSequence input, java.util.regex.Matcher m, StringBuilder out) {
        out.setLength(0);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() && value.charAt(i + 1) >= '0' && value.charAt(i + 1) <= '9') {
                int group = value.charAt(++i) - '0';
                if (group <= m.groupCount() && m.start(group) >= 0) {
                    out.append(input, m.start(group), m.end(group));
                }
                continue;
            }
            out.append(c);
        }
    }
}
