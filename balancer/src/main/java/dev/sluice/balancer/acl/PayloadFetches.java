package dev.sluice.balancer.acl;

import java.util.List;

/**
 * The fetches that read a connection's first bytes during {@code tcp-request content} inspection
 * ({@link Payload}): {@code req.len}, {@code req.payload}, {@code req.payload_lv}, the ClientHello
 * fetches, {@code req.rdp_cookie}, {@code req.proto_http} and {@code wait_end}, with HAProxy 2.6's aliases. Outside
 * inspection (no payload) they find nothing, except on an HTTP request: {@code req.proto_http} says
 * it is HTTP (always), {@code req.len} gives HAProxy's internal message size
 * ({@link #httpMessageSize}) and {@code wait_end} is true (the request is complete). A fetch that lacks data marks the payload "may change"
 * (see {@link Payload#mayChange()}).
 */
final class PayloadFetches {
    /** What HAProxy's internal HTTP message adds to the start line's and headers' characters. */
    static final int HTX_START_LINE = 21;
    /** {@code HTTP/} before the version digits, which {@link RequestView#version()} leaves out. */
    private static final int HTTP_SLASH = 5;

    private PayloadFetches() {
    }

    static void register() {
        Fetches.register("req.len", SampleType.INT, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.payload();
            if (p == null) {
                long size = httpMessageSize(r);
                return size >= 0 && s.integer(size);
            }
            p.mayChange(); // the length grows while the delay runs
            return s.integer(p.length());
        });
        Fetches.register("wait_end", SampleType.BOOL, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.payload();
            if (p == null && r.method() != null) {
                return s.bool(true); // an HTTP request is evaluated once complete: final
            }
            if (p == null || !p.isFinal()) {
                if (p != null) {
                    p.mayChange();
                }
                return false;
            }
            return s.bool(true);
        });
        // Binary samples: the ACL keywords payload and payload_lv match with "bin" by default; the
        // req.* fetches have no default method in HAProxy 2.6 (see needsExplicitMethod).
        // The server's first bytes, for tcp-response content rules (null elsewhere: nothing found).
        Fetches.register("res.len", SampleType.INT, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.responsePayload();
            if (p == null) {
                return false;
            }
            p.mayChange(); // the length grows while the delay runs
            return s.integer(p.length());
        });
        Fetches.register("res.payload", SampleType.STR, 2, PayloadFetches::payload);
        Fetches.register("res.payload_lv", SampleType.STR, 3, PayloadFetches::payloadLv);
        Fetches.register("res.ssl_hello_type", SampleType.INT, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.responsePayload();
            return p != null && found(p, ClientHello.helloType(p), s);
        });
        Fetches.register("req.payload", SampleType.STR, 2, PayloadFetches::payload);
        Fetches.register("req.payload_lv", SampleType.STR, 3, PayloadFetches::payloadLv);
        Fetches.registerBinary("payload", 2, PayloadFetches::payload);
        Fetches.registerBinary("payload_lv", 3, PayloadFetches::payloadLv);
        Fetches.register("req.ssl_hello_type", SampleType.INT, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.payload();
            return p != null && found(p, ClientHello.helloType(p), s);
        });
        Fetches.register("req.ssl_ver", SampleType.INT, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.payload();
            return p != null && found(p, ClientHello.recordVersion(p), s);
        });
        Fetches.register("req.ssl_sni", SampleType.STR, 0, (k, a, c) -> (r, all, s) -> {
            ClientHello hello = hello(r);
            return hello != null && hello.sniFrom >= 0
                    && s.string(r.payload().chars(), hello.sniFrom, hello.sniFrom + hello.sniLength);
        });
        Fetches.register("req.ssl_alpn", SampleType.STR, 0, (k, a, c) -> (r, all, s) -> {
            ClientHello hello = hello(r);
            if (hello == null || hello.alpnFrom < 0) {
                return false;
            }
            // Each offered protocol is one value: an ACL matches any, a sample takes the first.
            CharSequence chars = r.payload().chars();
            int end = hello.alpnFrom + hello.alpnLength;
            for (int p = hello.alpnFrom; p < end; p += 1 + chars.charAt(p)) {
                boolean done = s.string(chars, p + 1, p + 1 + chars.charAt(p));
                if (done || !all) {
                    return done;
                }
            }
            return false;
        });
        Fetches.register("req.ssl_ec_ext", SampleType.BOOL, 0, (k, a, c) -> (r, all, s) -> {
            ClientHello hello = hello(r);
            return hello != null && s.bool(hello.supportedGroups);
        });
        // An integer 0 or 1 in HAProxy 2.6 (so an ACL on it needs a pattern or -m bool).
        Fetches.register("req.ssl_st_ext", SampleType.INT, 0, (k, a, c) -> (r, all, s) -> {
            ClientHello hello = hello(r);
            return hello != null && s.integer(hello.sessionTicket ? 1 : 0);
        });
        Fetches.register("req.proto_http", SampleType.BOOL, 0, (k, a, c) -> (r, all, s) -> {
            Payload p = r.payload();
            if (p == null) {
                return s.bool(r.version() != null);
            }
            int state = HttpSniff.sniff(p);
            if (state == HttpSniff.INCOMPLETE) {
                p.mayChange();
                return false;
            }
            return state == HttpSniff.COMPLETE && s.bool(true);
        });
        Fetches.register("req.rdp_cookie", SampleType.STR, 1, (k, a, c) -> {
            String name = a.isEmpty() ? "" : a.getFirst();
            return (r, all, s) -> {
                Payload p = r.payload();
                long found = p == null ? RdpCookie.NONE : RdpCookie.find(p, name);
                if (found == RdpCookie.NOT_YET) {
                    p.mayChange();
                }
                return found >= 0 && s.string(p.chars(), (int) (found >>> 32), (int) found);
            };
        });
        Fetches.register("req.rdp_cookie_cnt", SampleType.INT, 1, (k, a, c) -> {
            String name = a.isEmpty() ? "" : a.getFirst();
            return (r, all, s) -> {
                Payload p = r.payload();
                if (p == null) {
                    return false;
                }
                long found = RdpCookie.find(p, name);
                if (found == RdpCookie.NOT_YET) {
                    p.mayChange();
                    return false; // HAProxy gives no count until it knows
                }
                return s.integer(found >= 0 ? 1 : 0);
            };
        });
        for (String[] alias : List.of(new String[] {"rdp_cookie", "req.rdp_cookie"},
                new String[] {"rdp_cookie_cnt", "req.rdp_cookie_cnt"}, new String[] {"req_rdp_cookie", "req.rdp_cookie"},
                new String[] {"req_rdp_cookie_cnt", "req.rdp_cookie_cnt"},new String[] {"req_len", "req.len"}, new String[] {"req_ssl_hello_type", "req.ssl_hello_type"},
                new String[] {"req_ssl_ver", "req.ssl_ver"}, new String[] {"req_ssl_sni", "req.ssl_sni"},
                new String[] {"req_proto_http", "req.proto_http"})) {
            Fetches.registerAlias(alias[0], alias[1]);
        }
    }

    /**
     * {@code req.len} on an HTTP request: HAProxy 2.6 answers the size of its internal message (HTX)
     * rather than of the bytes received, which is the start line's parts and every header's name and
     * value, plus a fixed {@value #HTX_START_LINE} bytes (measured on 2.6.12: 38 for
     * {@code GET / HTTP/1.1} with {@code Host: a}, each added character counting one). Body bytes that
     * came with the head count there too; here the head alone is measured. -1 without a request.
     */
    static long httpMessageSize(RequestView r) {
        CharSequence method = r.method();
        if (method == null) {
            return -1;
        }
        long size = HTX_START_LINE + method.length() + r.uri().length() + HTTP_SLASH + r.version().length();
        for (int i = 0, n = r.headerCount(); i < n; i++) {
            size += r.headerName(i).length() + r.headerValue(i).length();
        }
        return size;
    }

    /** Whether an ACL on this fetch (without converters) must name its matching method, as HAProxy requires. */
    static boolean needsExplicitMethod(String keyword) {
        return keyword.equals("req.payload") || keyword.equals("req.payload_lv") || keyword.equals("res.payload")
                || keyword.equals("res.payload_lv");
    }

    /**
     * ACLs on {@code req.ssl_ver} ({@code req_ssl_ver}) take their patterns as dotted versions,
     * {@code 3.1} for {@code 0x30001} (ranges {@code 3.0:3.3} too), as HAProxy's do. Returns the
     * pattern as the integer matcher reads it.
     */
    static String versionPattern(String keyword, String pattern) {
        if (!keyword.equals("req_ssl_ver") && !keyword.equals("req.ssl_ver")) {
            return pattern;
        }
        switch (pattern) {
            case "eq", "ge", "gt", "le", "lt" -> {
                return pattern;
            }
            default -> {
            }
        }
        int colon = pattern.indexOf(':');
        if (colon >= 0) {
            return (colon == 0 ? "" : dotted(pattern.substring(0, colon))) + ":"
                    + (colon == pattern.length() - 1 ? "" : dotted(pattern.substring(colon + 1)));
        }
        return dotted(pattern);
    }

    private static String dotted(String version) {
        int dot = version.indexOf('.');
        Long major = dot < 0 ? Text.parseLong(version) : Text.parseLong(version.substring(0, dot));
        Long minor = dot < 0 ? Long.valueOf(0) : Text.parseLong(version.substring(dot + 1));
        if (major == null || minor == null || major < 0 || minor < 0 || major > 0xffff || minor > 0xffff) {
            throw AclException.invalid("'" + version + "' is not a dotted number");
        }
        return Long.toString(major << 16 | minor);
    }

    /** A value of the ClientHello fetches' convention: >= 0 found, -1 not yet, -2 never. */
    private static boolean found(Payload p, int value, SampleSink s) {
        if (value == -1) {
            p.mayChange();
            return false;
        }
        return value >= 0 && s.integer(value);
    }

    /** The parsed hello, or null (marking "may change" when it has not fully arrived). */
    private static ClientHello hello(RequestView r) {
        Payload p = r.payload();
        if (p == null) {
            return null;
        }
        ClientHello hello = p.hello();
        if (hello.status == ClientHello.Status.TOO_SHORT) {
            p.mayChange();
        }
        return hello.status == ClientHello.Status.HELLO ? hello : null;
    }

    /** {@code req.payload(OFFSET,LENGTH)}: LENGTH bytes from OFFSET; LENGTH 0 means "up to the end so far". */
    private static FetchFn payload(String keyword, List<String> args, CompileContext c) {
        if (args.size() != 2) {
            throw AclException.invalid(c.keyword(keyword) + " : missing arguments (got " + args.size()
                    + "/2), type 'integer' expected");
        }
        int offset = unsigned(args, 0, keyword, c);
        int length = unsigned(args, 1, keyword, c);
        boolean response = keyword.startsWith("res.");
        return (r, all, s) -> {
            Payload p = response ? r.responsePayload() : r.payload();
            if (p == null) {
                return false;
            }
            if ((long) offset + length > p.capacity()) {
                return false; // can never be there: no "may change"
            }
            if (offset + length > p.length()) {
                p.mayChange();
                return false;
            }
            if (length == 0) {
                p.mayChange();
                return s.string(p.chars(), offset, p.length());
            }
            return s.string(p.chars(), offset, offset + length);
        };
    }

    /**
     * {@code req.payload_lv(LEN_OFFSET,LEN_SIZE[,OFFSET])}: a block whose length is the LEN_SIZE-byte
     * big-endian integer at LEN_OFFSET; it starts right after it, at OFFSET, or at {@code +N}/{@code -N}
     * from there.
     */
    private static FetchFn payloadLv(String keyword, List<String> args, CompileContext c) {
        if (args.size() < 2) {
            throw AclException.invalid(c.keyword(keyword) + " : missing arguments (got " + args.size()
                    + "/2), type 'integer' expected");
        }
        int lengthOffset = unsigned(args, 0, keyword, c);
        int lengthSize = unsigned(args, 1, keyword, c);
        if (lengthSize == 0 || lengthSize > 4) {
            throw AclException.invalid(c.keyword(keyword) + " : payload length must be between 1 and 4 bytes");
        }
        String third = args.size() > 2 ? args.get(2) : null;
        boolean relative = third != null && (third.startsWith("+") || third.startsWith("-"));
        Long parsed = third == null ? Long.valueOf(0) : Text.parseLong(relative && third.startsWith("+")
                ? third.substring(1) : third);
        if (parsed == null || parsed > Integer.MAX_VALUE || parsed < Integer.MIN_VALUE
                || (!relative && parsed < 0)) {
            throw AclException.invalid(c.keyword(keyword) + " : failed to parse '" + third
                    + "' as type 'signed integer' at position 3");
        }
        if (relative && lengthOffset + lengthSize + parsed < 0) {
            throw AclException.invalid(c.keyword(keyword) + " : payload offset too negative");
        }
        long blockOffset = third == null ? lengthOffset + lengthSize : relative ? lengthOffset + lengthSize + parsed
                : parsed;
        boolean response = keyword.startsWith("res.");
        return (r, all, s) -> {
            Payload p = response ? r.responsePayload() : r.payload();
            if (p == null) {
                return false;
            }
            if ((long) lengthOffset + lengthSize > p.length()) {
                p.mayChange();
                return false;
            }
            long size = 0;
            for (int i = 0; i < lengthSize; i++) {
                size = size << 8 | p.at(lengthOffset + i);
            }
            if (size == 0 || size > p.capacity() || blockOffset + size > p.capacity()) {
                return false; // will never match
            }
            if (blockOffset + size > p.length()) {
                p.mayChange();
                return false;
            }
            return s.string(p.chars(), (int) blockOffset, (int) (blockOffset + size));
        };
    }

    private static int unsigned(List<String> args, int index, String keyword, CompileContext c) {
        Long value = Text.parseLong(args.get(index));
        if (value == null || value < 0 || value > Integer.MAX_VALUE) {
            throw AclException.invalid(c.keyword(keyword) + " : failed to parse '" + args.get(index)
                    + "' as type 'integer' at position " + (index + 1));
        }
        return value.intValue();
    }
}
