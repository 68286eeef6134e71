package dev.sluice.balancer.acl;

import java.util.List;

/**
 * Encoding converters as HAProxy 2.6 writes them: {@code base64}/{@code b64dec} (padded),
 * {@code ub64enc}/{@code ub64dec} (URL alphabet, unpadded), {@code hex} (upper case), {@code hex2i},
 * {@code url_dec}, {@code url_enc} and {@code json}. Each converter writes into its own per-thread
 * buffer; binary values are chars 0–255.
 */
final class EncodingConverters {

    private static final String[] NO_TYPES = new String[0];
    private static final String STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Characters {@code url_enc(query)} leaves as they are (RFC 3986 unreserved). */
    private static final String UNRESERVED = "-._~";

    private EncodingConverters() {
    }

    @FunctionalInterface
    private interface Transform {
        /** Writes the conversion of s[from, to) into b; false when the input is invalid. */
        boolean apply(CharSequence s, int from, int to, StringBuilder b);
    }

    private static Converters.Converter binaryToString(String name, List<String> args, Transform t) {
        Converters.arguments(name, args, 0, 0, NO_TYPES);
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(name, SampleType.STR, false, next -> new ConverterStages.OfBinary() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                StringBuilder b = scratch.take();
                return t.apply(s, from, to, b) && next.string(b, 0, b.length());
            }
        });
    }

    private static Converters.Converter stringToString(String name, Transform t) {
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(name, SampleType.STR, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                StringBuilder b = scratch.take();
                return t.apply(s, from, to, b) && next.string(b, 0, b.length());
            }
        });
    }

    static Converters.Converter base64(String n, List<String> a, CompileContext c, String e) {
        return binaryToString(n, a, (s, from, to, b) -> encode(s, from, to, b, STANDARD, true));
    }

    static Converters.Converter ub64enc(String n, List<String> a, CompileContext c, String e) {
        return binaryToString(n, a, (s, from, to, b) -> encode(s, from, to, b, URL_SAFE, false));
    }

    static Converters.Converter b64dec(String n, List<String> a, CompileContext c, String e) {
        return binaryToString(n, a, (s, from, to, b) -> decode(s, from, to, b, STANDARD, true));
    }

    static Converters.Converter ub64dec(String n, List<String> a, CompileContext c, String e) {
        return binaryToString(n, a, (s, from, to, b) -> decode(s, from, to, b, URL_SAFE, false));
    }

    static Converters.Converter hex(String n, List<String> a, CompileContext c, String e) {
        return binaryToString(n, a, (s, from, to, b) -> {
            for (int i = from; i < to; i++) {
                int v = s.charAt(i) & 0xff;
                b.append(HEX[v >>> 4]).append(HEX[v & 0xf]);
            }
            return true;
        });
    }

    /** {@code hex2i}: hex digits to an integer, shifting out what does not fit; fails on a non-hex char. */
    static Converters.Converter hex2i(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, NO_TYPES);
        return ConverterStages.of(n, SampleType.INT, false, next -> new Sinks.OfString() {
            @Override
            public boolean string(CharSequence s, int from, int to) {
                long v = 0;
                for (int i = from; i < to; i++) {
                    int d = Character.digit(s.charAt(i), 16);
                    if (d < 0 || s.charAt(i) > 'f') {
                        return false;
                    }
                    v = (v << 4) + d;
                }
                return next.integer(v);
            }
        });
    }

    static boolean encode(CharSequence s, int from, int to, StringBuilder b, String alphabet, boolean pad) {
        int i = from;
        for (; i + 2 < to; i += 3) {
            int v = (s.charAt(i) & 0xff) << 16 | (s.charAt(i + 1) & 0xff) << 8 | (s.charAt(i + 2) & 0xff);
            b.append(alphabet.charAt(v >>> 18)).append(alphabet.charAt(v >>> 12 & 63))
                    .append(alphabet.charAt(v >>> 6 & 63)).append(alphabet.charAt(v & 63));
        }
        int rest = to - i;
        if (rest > 0) {
            int v = (s.charAt(i) & 0xff) << 16 | (rest > 1 ? (s.charAt(i + 1) & 0xff) << 8 : 0);
            b.append(alphabet.charAt(v >>> 18)).append(alphabet.charAt(v >>> 12 & 63));
            if (rest > 1) {
                b.append(alphabet.charAt(v >>> 6 & 63));
            } else if (pad) {
                b.append('=');
            }
            if (pad) {
                b.append('=');
            }
        }
        return true;
    }

    /** Padded input must be whole quads; unpadded input may end with 2 or 3 chars. */
    static boolean decode(CharSequence s, int from, int to, StringBuilder b, String alphabet, boolean padded) {
        int length = to - from;
        if (padded ? length % 4 != 0 : length % 4 == 1) {
            return false;
        }
        int end = to;
        if (padded) {
            while (end > from && to - end < 2 && s.charAt(end - 1) == '=') {
                end--;
            }
        }
        int bits = 0;
        int count = 0;
        for (int i = from; i < end; i++) {
            int d = alphabet.indexOf(s.charAt(i));
            if (d < 0) {
                return false;
            }
            bits = bits << 6 | d;
            count += 6;
            if (count >= 8) {
                count -= 8;
                b.append((char) (bits >>> count & 0xff));
            }
        }
        return true;
    }

    /**
     * {@code url_dec([in_form])}: {@code %XX} decoded, {@code +} becomes a space in a form or after a
     * {@code ?}; a bad escape fails the conversion.
     */
    static Converters.Converter urlDec(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"integer"});
        boolean form = !a.isEmpty() && !a.get(0).isEmpty() && Converters.integerArgument(n, a, 0) != 0;
        return stringToString(n, (s, from, to, b) -> {
            boolean inForm = form;
            for (int i = from; i < to; i++) {
                char ch = s.charAt(i);
                if (ch == '%') {
                    int hi = i + 1 < to ? Character.digit(s.charAt(i + 1), 16) : -1;
                    int lo = i + 2 < to ? Character.digit(s.charAt(i + 2), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        return false;
                    }
                    b.append((char) (hi << 4 | lo));
                    i += 2;
                } else if (ch == '+' && inForm) {
                    b.append(' ');
                } else {
                    inForm |= ch == '?';
                    b.append(ch);
                }
            }
            return true;
        });
    }

    /** {@code url_enc([query])}: everything but letters, digits and {@code -._~} as {@code %XX}. */
    static Converters.Converter urlEnc(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"string"});
        if (!a.isEmpty() && !a.get(0).equals("query")) {
            throw AclException.invalid("invalid args in converter '" + n
                    + "' : Unexpected encode type. Allowed value is 'query'.");
        }
        return stringToString(n, (s, from, to, b) -> {
            for (int i = from; i < to; i++) {
                char ch = s.charAt(i);
                if (ch < 128 && (Character.isLetterOrDigit(ch) || UNRESERVED.indexOf(ch) >= 0)) {
                    b.append(ch);
                } else {
                    int v = ch & 0xff;
                    b.append('%').append(HEX[v >>> 4]).append(HEX[v & 0xf]);
                }
            }
            return true;
        });
    }

    /** How {@code json} reads its input bytes. */
    enum InputCode {
        ASCII("ascii", false, false, false),
        UTF8("utf8", true, false, false),
        UTF8S("utf8s", true, true, false),
        UTF8P("utf8p", true, false, true),
        UTF8PS("utf8ps", true, true, true);

        final String keyword;
        final boolean utf8;
        final boolean skipErrors;
        final boolean fixOverlong;

        InputCode(String keyword, boolean utf8, boolean skipErrors, boolean fixOverlong) {
            this.keyword = keyword;
            this.utf8 = utf8;
            this.skipErrors = skipErrors;
            this.fixOverlong = fixOverlong;
        }
    }

    /** {@code json([input-code])}: an ASCII JSON string body; in UTF-8 modes characters above U+FFFF are errors. */
    static Converters.Converter json(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 1, new String[] {"string"});
        InputCode code = InputCode.ASCII;
        if (!a.isEmpty() && !a.get(0).isEmpty()) {
            code = null;
            for (InputCode ic : InputCode.values()) {
                if (ic.keyword.equals(a.get(0))) {
                    code = ic;
                }
            }
            if (code == null) {
                throw AclException.invalid("invalid args in converter '" + n + "' : Unexpected input code type. "
                        + "Allowed value are 'ascii', 'utf8', 'utf8s', 'utf8p' and 'utf8ps'.");
            }
        }
        InputCode input = code;
        return stringToString(n, (s, from, to, b) -> Json.escape(s, from, to, b, input));
    }

    /** {@code htonl}: the integer's low 32 bits as 4 network-order bytes. */
    static Converters.Converter htonl(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 0, NO_TYPES);
        ConverterStages.Scratch scratch = new ConverterStages.Scratch();
        return ConverterStages.of(n, SampleType.STR, false, next -> new Sinks.OfInteger() {
            @Override
            public boolean integer(long value) {
                StringBuilder b = scratch.take();
                ConverterStages.appendBytes(b, value, Integer.BYTES);
                return next.string(b, 0, b.length());
            }
        });
    }

    /**
     * {@code be2hex([sep],[chunk],[truncate])}: hex digits, a separator every chunk bytes, a short
     * last chunk dropped when truncating.
     */
    static Converters.Converter be2hex(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 3, new String[] {"string", "integer", "integer"});
        String separator = a.isEmpty() ? "" : a.get(0);
        int chunk = a.size() > 1 && !a.get(1).isEmpty() ? Converters.integerArgument(n, a, 1) : -1;
        boolean truncate = a.size() > 2 && !a.get(2).isEmpty() && Converters.integerArgument(n, a, 2) != 0;
        if (chunk == 0 || chunk < -1) {
            throw AclException.invalid("invalid args in converter '" + n + "' : chunk_size needs to be positive ("
                    + chunk + ").");
        }
        return binaryToString(n, List.of(), (s, from, to, b) -> {
            int size = chunk < 0 ? Math.max(to - from, 1) : chunk;
            int end = truncate ? from + (to - from) / size * size : to;
            for (int i = from; i < end; i++) {
                if (i > from && (i - from) % size == 0) {
                    b.append(separator);
                }
                int v = s.charAt(i) & 0xff;
                b.append(HEX[v >>> 4]).append(HEX[v & 0xf]);
            }
            return true;
        });
    }

    /** {@code be2dec(sep,chunk[,truncate])}: each chunk of 1–8 big-endian bytes as an unsigned decimal. */
    static Converters.Converter be2dec(String n, List<String> a, CompileContext c, String e) {
        Converters.arguments(n, a, 0, 3, new String[] {"string", "integer", "integer"});
        String separator = a.isEmpty() ? "" : a.get(0);
        int chunk = a.size() > 1 && !a.get(1).isEmpty() ? Converters.integerArgument(n, a, 1) : 0;
        boolean truncate = a.size() > 2 && !a.get(2).isEmpty() && Converters.integerArgument(n, a, 2) != 0;
        if (chunk < 1 || chunk > Long.BYTES) {
            throw AclException.invalid("invalid args in converter '" + n + "' : chunk_size out of [1..8] range ("
                    + chunk + ").");
        }
        return binaryToString(n, List.of(), (s, from, to, b) -> {
            int end = truncate ? from + (to - from) / chunk * chunk : to;
            for (int i = from; i < end; i += chunk) {
                if (i > from) {
                    b.append(separator);
                }
                long v = 0;
                for (int k = i; k < Math.min(i + chunk, end); k++) {
                    v = v << 8 | (s.charAt(k) & 0xff);
                }
                b.append(Long.toUnsignedString(v));
            }
            return true;
        });
    }
}
