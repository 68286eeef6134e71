package dev.sluice.balancer.acl;

/**
 * How a fetch hands a piece of text it found to its sink: as the text, as the integer it starts
 * with ({@code hdr_val}, {@code cook_val}, {@code urlp_val}), or as the address it holds
 * ({@code hdr_ip}). Decided at compile time, so no wrapper sink is created per request.
 */
enum ValueForm {
    STRING {
        @Override
        boolean emit(SampleSink sink, CharSequence s, int from, int to) {
            return sink.string(s, from, to);
        }
    },
    /** HAProxy's strl2ic: optional sign and leading digits, 0 when there are none. */
    LEADING_INTEGER {
        @Override
        boolean emit(SampleSink sink, CharSequence s, int from, int to) {
            return sink.integer(Text.leadingInteger(s, from, to));
        }
    },
    /**
     * An IPv4 address optionally followed by ":port", or an IPv6 address, bare or in brackets with an
     * optional port (RFC 7239 node syntax, quotes allowed); anything else is skipped. Creates the
     * {@link IpAddress}.
     */
    HEADER_IP {
        @Override
        boolean emit(SampleSink sink, CharSequence s, int from, int to) {
            if (to - from >= 2 && s.charAt(from) == '"' && s.charAt(to - 1) == '"') {
                from++;
                to--;
            }
            if (from < to && s.charAt(from) == '[') {
                int close = from + 1;
                while (close < to && s.charAt(close) != ']') {
                    close++;
                }
                if (close == to || close + 1 < to && !validPort(s, close + 1, to)) {
                    return false;
                }
                IpAddress a = IpAddress.parse(s, from + 1, close);
                return a != null && !a.v4() && sink.ip(a);
            }
            int colons = 0;
            int colon = -1;
            for (int i = from; i < to; i++) {
                if (s.charAt(i) == ':') {
                    colons++;
                    colon = i;
                }
            }
            if (colons == 1) {
                if (!validPort(s, colon, to)) {
                    return false;
                }
                long v4 = IpAddress.parseDottedQuad(s, from, colon);
                return v4 >= 0 && sink.ip(IpAddress.ofV4((int) v4));
            }
            IpAddress a = IpAddress.parse(s, from, to);
            return a != null && sink.ip(a);
        }
    };

    abstract boolean emit(SampleSink sink, CharSequence s, int from, int to);

    /** ":" then 1–5 digits no greater than 65535. */
    private static boolean validPort(CharSequence s, int colon, int to) {
        return s.charAt(colon) == ':' && to - colon - 1 <= 5 && Text.allDigits(s, colon + 1, to)
                && Text.leadingInteger(s, colon + 1, to) <= 65535;
    }
}
