package dev.sluice.balancer.acl;

import java.util.List;

/**
 * The map converters, {@code map_MATCH[_OUTPUT](FILE[,DEFAULT])}: MATCH is how the input is looked
 * up among the keys ({@code str} when absent; {@code int} takes an integer, {@code ip} an address,
 * the others a string), OUTPUT the type the value is given as ({@code str} when absent, {@code int}
 * or {@code ip}; values and the default are parsed at load time). {@code map} is {@code map_str};
 * {@code map_regm} is {@code map_reg} whose value may name the match's groups ({@code \1}).
 *
 * <p>Allocation per lookup: none, except {@code map_regm}, which expands into a per-thread buffer.
 */
final class MapConverters {

    private MapConverters() {
    }

    /** The factory for a map converter's name, or null when the name is not one. */
    static Converters.Factory factory(String name) {
        if (name.equals("map")) {
            return (n, a, c, e) -> create(n, a, c, MatchMethod.STR, false, SampleType.STR);
        }
        if (!name.startsWith("map_")) {
            return null;
        }
        String rest = name.substring(4);
        int underscore = rest.indexOf('_');
        String match = underscore < 0 ? rest : rest.substring(0, underscore);
        String out = underscore < 0 ? "str" : rest.substring(underscore + 1);
        SampleType output = switch (out) {
            case "str" -> underscore < 0 ? SampleType.STR : null; // "map_str_str" is not a converter
            case "int" -> SampleType.INT;
            case "ip" -> SampleType.IP;
            default -> null;
        };
        boolean regm = match.equals("regm");
        MatchMethod method = regm ? MatchMethod.REG : switch (match) {
            case "str", "beg", "sub", "dir", "dom", "end", "reg", "int", "ip" -> MatchMethod.byKeyword(match);
            default -> null;
        };
        if (output == null || method == null || regm && output != SampleType.STR) {
            return null;
        }
        return (n, a, c, e) -> create(n, a, c, method, regm, output);
    }

    private static Converters.Converter create(String name, List<String> args, CompileContext c, MatchMethod method,
            boolean regm, SampleType output) {
        Converters.arguments(name, args, 1, 2, new String[] {"map file", "string"});
        Live live;
        try {
            PatternRef ref = c.files().reference(args.get(0), true);
            live = new Live(method, output, args.get(0), ref.entries());
            ref.attach(live);
        } catch (AclException e) {
            throw new AclException(e.kind(), "invalid args in converter '" + name + "' : " + e.getMessage() + ".");
        }
        Fallback fallback = args.size() > 1 ? Fallback.parse(name, args.get(1), output) : null;
        return new Converters.Converter(name, output) {
            private final ThreadLocal<StringBuilder> expanded = regm ? ThreadLocal.withInitial(StringBuilder::new) : null;

            @Override
            SampleSink chain(SampleSink next) {
                return switch (method) {
                    case INT -> new Sinks.OfInteger() {
                        @Override
                        public boolean integer(long value) {
                            MapFile file = live.file;
                            return emit(file, file.lookup(value), next);
                        }
                    };
                    case IP -> new Sinks.OfIp() {
                        @Override
                        public boolean ip(IpAddress address) {
                            MapFile file = live.file;
                            return emit(file, file.lookup(address), next);
                        }
                    };
                    case REG -> new Sinks.OfString() {
                        @Override
                        public boolean string(CharSequence s, int from, int to) {
                            MapFile file = live.file;
                            if (!regm) {
                                return emit(file, file.lookupRegex(s, from, to, null), next);
                            }
                            StringBuilder b = expanded.get();
                            int entry = file.lookupRegex(s, from, to, b);
                            return entry < 0 ? emit(file, -1, next) : next.string(b, 0, b.length());
                        }
                    };
                    default -> new Sinks.OfString() {
                        @Override
                        public boolean string(CharSequence s, int from, int to) {
                            MapFile file = live.file;
                            return emit(file, file.lookup(s, from, to), next);
                        }
                    };
                };
            }

            private boolean emit(MapFile file, int entry, SampleSink next) {
                if (entry < 0) {
                    return fallback != null && fallback.emit(next);
                }
                return switch (output) {
                    case INT -> next.integer(file.integer(entry));
                    case IP -> next.ip(file.address(entry));
                    default -> {
                        String v = file.value(entry);
                        yield next.string(v, 0, v.length());
                    }
                };
            }
        };
    }

    /**
     * The map a converter looks up, rebuilt when the runtime API changes its entries
     * ({@code add map}, …); lookups read whichever map is published.
     */
    private static final class Live implements PatternRef.User {
        private final MatchMethod method;
        private final SampleType output;
        private final String fileName;
        volatile MapFile file;

        Live(MatchMethod method, SampleType output, String fileName, List<PatternRef.Entry> entries) {
            this.method = method;
            this.output = output;
            this.fileName = fileName;
            this.file = MapFile.of(method, output, entries, fileName);
        }

        @Override
        public void check(PatternRef.Entry entry) {
            MapFile.of(method, output, List.of(entry), fileName);
        }

        @Override
        public void rebuild(List<PatternRef.Entry> entries) {
            file = MapFile.of(method, output, entries, fileName);
        }

        @Override
        public boolean map() {
            return true;
        }

        @Override
        public String describe(String sample) {
            MapFile f = file;
            int entry = switch (method) {
                case INT -> sample.isEmpty() ? -1 : f.lookup(Text.castInteger(sample, 0, sample.length()));
                case IP -> {
                    IpAddress a = IpAddress.parse(sample);
                    yield a == null ? -1 : f.lookup(a);
                }
                case REG -> f.lookupRegex(sample, 0, sample.length(), null);
                default -> f.lookup(sample, 0, sample.length());
            };
            String head = "type=" + method.keyword() + ", case=sensitive, ";
            if (entry < 0) {
                return head + "found=no\n";
            }
            return head + "found=yes, idx=" + (f.tree() ? "tree" : "list") + ", key=\"" + f.key(entry)
                    + "\", value=\"" + f.value(entry) + "\", type=\"" + output.name().toLowerCase(java.util.Locale.ROOT)
                    + "\"\n";
        }
    }

    /** The default value, parsed once into the output type. */
    private record Fallback(String text, long integer, IpAddress address, SampleType type) {

        static Fallback parse(String name, String text, SampleType type) {
            return switch (type) {
                case INT -> {
                    Long v = Text.parseLong(text);
                    if (v == null) {
                        throw AclException.invalid("invalid arg 2 in converter '" + name + "' : failed to parse '"
                                + text + "' as type 'integer' at position 2.");
                    }
                    yield new Fallback(text, v, null, type);
                }
                case IP -> {
                    IpAddress a = IpAddress.parse(text);
                    if (a == null) {
                        throw AclException.invalid("invalid args in converter '" + name
                                + "' : map: cannot parse default ip <" + text + ">..");
                    }
                    yield new Fallback(text, 0, a, type);
                }
                default -> new Fallback(text, 0, null, type);
            };
        }

        boolean emit(SampleSink next) {
            return switch (type) {
                case INT -> next.integer(integer);
                case IP -> next.ip(address);
                default -> next.string(text, 0, text.length());
            };
        }
    }
}
