package dev.sluice.balancer.acl;

/** The escaping of HAProxy's {@code json} converter, over bytes held as chars 0–255. */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** Appends the escaped form of s[from, to) to b; false when the input code says to fail. */
    static boolean escape(CharSequence s, int from, int to, StringBuilder b, EncodingConverters.InputCode code) {
        int i = from;
        while (i < to) {
            int first = s.charAt(i) & 0xff;
            if (!code.utf8 || first < 0x80) {
                append(b, first);
                i++;
                continue;
            }
            int length = first >= 0xc0 && first < 0xe0 ? 2 : first >= 0xe0 && first < 0xf0 ? 3
                    : first >= 0xf0 && first < 0xf8 ? 4 : 0;
            int value = length == 2 ? first & 0x1f : length == 3 ? first & 0x0f : first & 0x07;
            int k = 1;
            while (length > 0 && k < length && i + k < to && (s.charAt(i + k) & 0xc0) == 0x80) {
                value = value << 6 | (s.charAt(i + k) & 0x3f);
                k++;
            }
            boolean badSequence = length == 0 || k < length;
            if (badSequence) {
                if (!code.skipErrors) {
                    return false;
                }
                i += Math.max(k, 1);
                continue;
            }
            boolean overlong = length == 2 && value < 0x80 || length == 3 && value < 0x800
                    || length == 4 && value < 0x10000;
            boolean invalid = value >= 0xd800 && value <= 0xdfff || value == 0xfffe || value == 0xffff
                    || value > 0xffff;
            if (overlong && !code.fixOverlong || invalid) {
                if (!code.skipErrors) {
                    return false;
                }
            } else {
                append(b, value);
            }
            i += length;
        }
        return true;
    }

    private static void append(StringBuilder b, int c) {
        switch (c) {
            case '"' -> b.append("\\\"");
            case '\\' -> b.append("\\\\");
            case '/' -> b.append("\\/");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\r' -> b.append("\\r");
            case '\n' -> b.append("\\n");
            case '\t' -> b.append("\\t");
            default -> {
                if (c < 0x20 || c > 0x7e) {
                    b.append("\\u").append(HEX[c >>> 12 & 0xf]).append(HEX[c >>> 8 & 0xf])
                            .append(HEX[c >>> 4 & 0xf]).append(HEX[c & 0xf]);
                } else {
                    b.append((char) c);
                }
            }
        }
    }
}
