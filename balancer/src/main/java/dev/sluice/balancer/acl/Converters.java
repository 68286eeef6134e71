package dev.sluice.balancer.acl;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The converter keyword table. A converter is compiled once into a factory of pipeline stages: a
 * stage is a sink that transforms what it receives and passes it on to the next sink.
 *
 * <p>Allocation: {@code word}, {@code field} and the maps pass ranges or stored strings (none);
 * {@code lower}/{@code upper} copy into a per-thread buffer only when a character changes (none);
 * {@code ipmask} creates the masked {@link IpAddress} (one small object).
 */
final class Converters {

    /** A compiled converter. */
    abstract static class Converter {
        private final String name;
        private final SampleType output;

        Converter(String name, SampleType output) {
            this.name = name;
            this.output = output;
        }

        String name() {
            return name;
        }

        SampleType output() {
            return output;
        }

        /** Whether stages read the request being evaluated ({@link ConverterRequest#current()}). */
        boolean readsRequest() {
            return false;
        }

        /** A stage that converts each value and passes it to {@code next}. */
        abstract SampleSink chain(SampleSink next);
    }

    @FunctionalInterface
    interface Factory {
        Converter create(String name, List<String> args, CompileContext context, String expression);
    }

    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("protobuf", "ungrpc", "debug", "table_gpt",
            "table_gpc", "table_gpc_rate", "table_idle", "table_expire", "json_query", "jwt_header_query",
            "jwt_payload_query", "jwt_verify", "aes_gcm_dec", "capture-req", "capture-res", "language", "nbsrv",
            "srv_queue", "fix_is_valid", "fix_tag_value", "mqtt_is_valid", "mqtt_field_value", "51d.single",
            "da-csv-conv");

    private static final Map<String, Factory> KEYWORDS = keywords();

    private static Map<String, Factory> keywords() {
        Map<String, Factory> k = new java.util.HashMap<>(Map.ofEntries(
            Map.entry("lower", (n, a, c, e) -> caseChange(n, a, c, false)),
            Map.entry("upper", (n, a, c, e) -> caseChange(n, a, c, true)),
            Map.entry("ipmask", Converters::ipmask),
            Map.entry("word", (n, a, c, e) -> select(n, a, c, true)),
            Map.entry("field", (n, a, c, e) -> select(n, a, c, false))));
        // Issue #8: the converters real configurations use, one family per class.
        k.put("length", TextConverters::length);
        k.put("bytes", TextConverters::bytes);
        k.put("ltrim", TextConverters::ltrim);
        k.put("rtrim", TextConverters::rtrim);
        k.put("cut_crlf", TextConverters::cutCrlf);
        k.put("host_only", TextConverters::hostOnly);
        k.put("port_only", TextConverters::portOnly);
        k.put("concat", TextConverters::concat);
        k.put("strcmp", TextConverters::strcmp);
        k.put("secure_memcmp", TextConverters::secureMemcmp);
        k.put("regsub", TextConverters::regsub);
        k.put("base64", EncodingConverters::base64);
        k.put("b64dec", EncodingConverters::b64dec);
        k.put("ub64enc", EncodingConverters::ub64enc);
        k.put("ub64dec", EncodingConverters::ub64dec);
        k.put("hex", EncodingConverters::hex);
        k.put("hex2i", EncodingConverters::hex2i);
        k.put("url_dec", EncodingConverters::urlDec);
        k.put("url_enc", EncodingConverters::urlEnc);
        k.put("json", EncodingConverters::json);
        k.put("sdbm", DigestConverters::sdbm);
        k.put("djb2", DigestConverters::djb2);
        k.put("wt6", DigestConverters::wt6);
        k.put("crc32", DigestConverters::crc32);
        k.put("crc32c", DigestConverters::crc32c);
        k.put("xxh32", DigestConverters::xxh32);
        k.put("xxh64", DigestConverters::xxh64);
        k.put("xxh3", DigestConverters::xxh3);
        k.put("sha1", DigestConverters::sha1);
        k.put("sha2", DigestConverters::sha2);
        k.put("digest", DigestConverters::digest);
        k.put("hmac", DigestConverters::hmac);
        k.put("add", ArithmeticConverters::add);
        k.put("sub", ArithmeticConverters::sub);
        k.put("mul", ArithmeticConverters::mul);
        k.put("div", ArithmeticConverters::div);
        k.put("mod", ArithmeticConverters::mod);
        k.put("and", ArithmeticConverters::and);
        k.put("or", ArithmeticConverters::or);
        k.put("xor", ArithmeticConverters::xor);
        k.put("neg", ArithmeticConverters::neg);
        k.put("cpl", ArithmeticConverters::cpl);
        k.put("bool", ArithmeticConverters::bool);
        k.put("not", ArithmeticConverters::not);
        k.put("odd", ArithmeticConverters::odd);
        k.put("even", ArithmeticConverters::even);
        k.put("http_date", TimeConverters::httpDate);
        k.put("ltime", TimeConverters::ltime);
        k.put("utime", TimeConverters::utime);
        k.put("iif", ArithmeticConverters::iif);
        k.put("add_item", TextConverters::addItem);
        k.put("htonl", EncodingConverters::htonl);
        k.put("be2hex", EncodingConverters::be2hex);
        k.put("be2dec", EncodingConverters::be2dec);
        k.put("unset-var", TableConverters::unsetVar);
        k.put("in_table", TableConverters::inTable);
        k.put("set-var", TableConverters::setVar);
        for (String table : TableConverters.tableNames()) {
            k.put(table, TableConverters::table);
        }
        return Map.copyOf(k);
    }

    private Converters() {
    }

    static Converter create(String name, List<String> args, CompileContext context, String keyword, String expression) {
        Factory f = KEYWORDS.get(name);
        if (f == null) {
            f = MapConverters.factory(name);
        }
        if (f == null) {
            if (KNOWN_UNSUPPORTED.contains(name)) {
                throw AclException.unsupported(context.keyword(keyword) + " : converter '" + name
                        + "' is not supported by Sluice");
            }
            throw AclException.invalid(context.keyword(keyword) + " : unknown converter '" + name + "'.");
        }
        try {
            return f.create(name, args, context, expression);
        } catch (AclException e) {
            // HAProxy names the keyword first unless the message already quotes the whole expression.
            boolean quotesExpression = e.getMessage().contains(" expression '" + expression + "'");
            throw quotesExpression ? e : new AclException(e.kind(), context.keyword(keyword) + " : " + e.getMessage());
        }
    }

    static void arguments(String name, List<String> args, int min, int max, String[] types) {
        if (args.size() < min) {
            throw AclException.invalid("invalid arg " + (args.size() + 1) + " in converter '" + name
                    + "' : missing arguments (got " + args.size() + "/" + min + "), type '" + types[args.size()]
                    + "' expected.");
        }
        if (args.size() > max) {
            throw AclException.invalid("invalid args in converter '" + name + "' : end of arguments expected at position "
                    + (max + 1) + ", but got '" + args.get(max) + "'.");
        }
    }

    static int integerArgument(String name, List<String> args, int index) {
        Long v = Text.parseLong(args.get(index));
        if (v == null || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw AclException.invalid("invalid arg " + (index + 1) + " in converter '" + name + "' : failed to parse '"
                    + args.get(index) + "' as type 'integer' at position " + (index + 1) + ".");
        }
        return v.intValue();
    }

    private static Converter caseChange(String name, List<String> args, CompileContext c, boolean upper) {
        arguments(name, args, 0, 0, new String[0]);
        return new Converter(name, SampleType.STR) {
            private final ThreadLocal<StringBuilder> buffer = ThreadLocal.withInitial(StringBuilder::new);

            @Override
            SampleSink chain(SampleSink next) {
                return new Sinks.OfString() {
                    @Override
                    public boolean string(CharSequence s, int from, int to) {
                        int first = from;
                        while (first < to && convert(s.charAt(first)) == s.charAt(first)) {
                            first++;
                        }
                        if (first == to) {
                            return next.string(s, from, to);
                        }
                        StringBuilder b = buffer.get();
                        b.setLength(0);
                        for (int i = from; i < to; i++) {
                            b.append(convert(s.charAt(i)));
                        }
                        return next.string(b, 0, b.length());
                    }
                };
            }

            private char convert(char ch) {
                if (upper) {
                    return ch >= 'a' && ch <= 'z' ? (char) (ch - ('a' - 'A')) : ch;
                }
                return Text.fold(ch);
            }
        };
    }

    private static Converter ipmask(String name, List<String> args, CompileContext c, String expression) {
        arguments(name, args, 1, 2, new String[] {"IPv4 mask", "IPv6 mask"});
        int v4 = maskArgument(args.get(0), 32);
        if (v4 < 0) {
            throw AclException.invalid("invalid arg 1 in converter 'ipmask' : failed to parse '" + args.get(0)
                    + "' as type 'IPv4 mask' at position 1 in " + (c.acl() ? "ACL" : "sample") + " expression '"
                    + expression + "'");
        }
        int v6 = args.size() > 1 ? maskArgument(args.get(1), 128) : -1;
        if (args.size() > 1 && v6 < 0) {
            throw AclException.invalid("invalid arg 2 in converter 'ipmask' : failed to parse '" + args.get(1)
                    + "' as type 'IPv6 mask' at position 2 in " + (c.acl() ? "ACL" : "sample") + " expression '"
                    + expression + "'");
        }
        return new Converter(name, SampleType.IP) {
            @Override
            SampleSink chain(SampleSink next) {
                return new Sinks.OfIp() {
                    @Override
                    public boolean ip(IpAddress address) {
                        IpAddress v4Address = address.asV4();
                        if (v4Address != null) {
                            return next.ip(v4Address.mask(v4));
                        }
                        // Without an IPv6 mask HAProxy fails the conversion, for backward compatibility.
                        return v6 >= 0 && next.ip(address.mask(v6));
                    }
                };
            }
        };
    }

    /** A CIDR length up to max, or for IPv4 a dotted mask, or for IPv6 a contiguous address mask; -1 if invalid. */
    private static int maskArgument(String text, int max) {
        if (Text.allDigits(text, 0, text.length()) && text.length() <= 3) {
            int bits = Integer.parseInt(text);
            return bits <= max ? bits : -1;
        }
        if (max == 32) {
            long m = IpAddress.parseDottedQuad(text, 0, text.length());
            return m < 0 ? -1 : Networks.contiguousPrefix(m);
        }
        IpAddress m = IpAddress.parse(text);
        if (m == null || m.v4()) {
            return -1;
        }
        int ones = Long.numberOfLeadingZeros(~m.hi()) + (m.hi() == -1L ? Long.numberOfLeadingZeros(~m.lo()) : 0);
        IpAddress expected = IpAddress.ofV6(-1L, -1L).mask(ones);
        return expected.hi() == m.hi() && expected.lo() == m.lo() ? ones : -1;
    }

    private static Converter select(String name, List<String> args, CompileContext c, boolean words) {
        arguments(name, args, 2, 3, new String[] {"integer", "string", "integer"});
        int index = integerArgument(name, args, 0);
        String delimiters = args.get(1);
        int count = args.size() > 2 ? integerArgument(name, args, 2) : 1;
        if (index == 0) {
            throw AclException.invalid("invalid args in converter '" + name + "' : Unexpected value 0 for index.");
        }
        if (count < 0) {
            throw AclException.invalid("invalid args in converter '" + name + "' : Unexpected value " + count
                    + " for count.");
        }
        return new Converter(name, SampleType.STR) {
            @Override
            SampleSink chain(SampleSink next) {
                return new Sinks.OfString() {
                    @Override
                    public boolean string(CharSequence s, int from, int to) {
                        long r = Selection.select(s, from, to, delimiters, index, count, words);
                        return r != Uris.NONE && next.string(s, Uris.from(r), Uris.to(r));
                    }
                };
            }
        };
    }
}
