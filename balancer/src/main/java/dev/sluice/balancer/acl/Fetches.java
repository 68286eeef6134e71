package dev.sluice.balancer.acl;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fetch keyword table: name, output type, argument count, the matching method implied by an ACL
 * derivative ({@code path_beg} is {@code path -m beg}), and a factory that checks the arguments once
 * and returns the compiled fetch.
 */
final class Fetches {

    @FunctionalInterface
    interface Factory {
        FetchFn create(String keyword, List<String> args, CompileContext context);
    }

    record Keyword(String name, SampleType type, MatchMethod derivative, int maxArgs, Factory factory) {
    }

    /** The suffixes HAProxy derives from string fetches, and the method each implies. */
    private static final Map<String, MatchMethod> STRING_DERIVATIVES = Map.of("_beg", MatchMethod.BEG, "_dir",
            MatchMethod.DIR, "_dom", MatchMethod.DOM, "_end", MatchMethod.END, "_len", MatchMethod.LEN, "_reg",
            MatchMethod.REG, "_sub", MatchMethod.SUB);

    /** Valid HAProxy 2.6 fetches this balancer does not implement: refused as unsupported, not unknown. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("req.body",
            "base", "base32", "baseq", "url32",
            "shdr", "sc0_http_req_rate", "src_http_req_rate", "sc_http_req_rate", "ssl_c_used",
            "ssl_fc_has_crt", "so_id");

    private static final Map<String, Keyword> KEYWORDS = new HashMap<>();

    static {
        string("path", true, 0, (k, a, c) -> (r, all, s) -> {
            CharSequence uri = r.uri();
            long p = uri == null ? Uris.NONE : Uris.path(uri);
            return p != Uris.NONE && s.string(uri, Uris.from(p), Uris.to(p));
        });
        string("url", true, 0, (k, a, c) -> (r, all, s) -> {
            CharSequence uri = r.uri();
            return uri != null && s.string(uri, 0, uri.length());
        });
        add("url_ip", SampleType.IP, null, 0, (k, a, c) -> (r, all, s) -> {
            long address = UrlAddress.ipv4(r.uri());
            return address != UrlAddress.NONE && s.ip(IpAddress.ofV4((int) address));
        });
        add("url_port", SampleType.INT, null, 0, (k, a, c) -> (r, all, s) -> {
            long port = UrlAddress.port(r.uri());
            return port != UrlAddress.NONE && s.integer(port);
        });
        string("query", false, 0, (k, a, c) -> (r, all, s) -> {
            CharSequence uri = r.uri();
            long q = uri == null ? Uris.NONE : Uris.query(uri);
            return q != Uris.NONE && s.string(uri, Uris.from(q), Uris.to(q));
        });
        string("urlp", true, 2, urlParam(ValueForm.STRING));
        string("url_param", false, 2, urlParam(ValueForm.STRING));
        add("urlp_val", SampleType.INT, null, 2, urlParam(ValueForm.LEADING_INTEGER));
        string("method", false, 0, (k, a, c) -> (r, all, s) -> {
            CharSequence m = r.method();
            return m != null && s.string(m, 0, m.length());
        });
        string("req.ver", false, 0, (k, a, c) -> (r, all, s) -> {
            CharSequence v = r.version();
            return v != null && s.string(v, 0, v.length());
        });
        alias("req_ver", "req.ver");
        add("always_true", SampleType.BOOL, null, 0, (k, a, c) -> (r, all, s) -> s.bool(true));
        add("always_false", SampleType.BOOL, null, 0, (k, a, c) -> (r, all, s) -> s.bool(false));

        string("hdr", true, 2, header(false, ValueForm.STRING));
        string("req.hdr", false, 2, header(false, ValueForm.STRING));
        string("req.fhdr", false, 2, header(true, ValueForm.STRING));
        Factory headerCount = (k, a, c) -> {
            String name = headerName(arg(a, 0));
            return (r, all, s) -> s.integer(Headers.count(r, name, false));
        };
        add("req.hdr_cnt", SampleType.INT, null, 1, headerCount);
        add("hdr_cnt", SampleType.INT, null, 1, headerCount);
        add("req.fhdr_cnt", SampleType.INT, null, 1, (k, a, c) -> {
            String name = headerName(arg(a, 0));
            return (r, all, s) -> s.integer(Headers.count(r, name, true));
        });
        add("req.hdr_ip", SampleType.IP, null, 2, header(false, ValueForm.HEADER_IP));
        add("hdr_ip", SampleType.IP, null, 2, header(false, ValueForm.HEADER_IP));
        add("req.hdr_val", SampleType.INT, null, 2, header(false, ValueForm.LEADING_INTEGER));
        add("hdr_val", SampleType.INT, null, 2, header(false, ValueForm.LEADING_INTEGER));

        Factory cookie = (k, a, c) -> {
            String name = arg(a, 0);
            return (r, all, s) -> Headers.cookies(r, name, all, ValueForm.STRING, s);
        };
        string("req.cook", false, 1, cookie);
        string("cook", true, 1, cookie);
        Factory cookieCount = (k, a, c) -> {
            String name = arg(a, 0);
            return (r, all, s) -> s.integer(Headers.countCookies(r, name));
        };
        add("req.cook_cnt", SampleType.INT, null, 1, cookieCount);
        add("cook_cnt", SampleType.INT, null, 1, cookieCount);
        Factory cookieValue = (k, a, c) -> {
            String name = arg(a, 0);
            return (r, all, s) -> Headers.cookies(r, name, all, ValueForm.LEADING_INTEGER, s);
        };
        add("req.cook_val", SampleType.INT, null, 1, cookieValue);
        add("cook_val", SampleType.INT, null, 1, cookieValue);

        add("src", SampleType.IP, null, 0, (k, a, c) -> (r, all, s) -> r.source() != null && s.ip(r.source()));
        add("dst", SampleType.IP, null, 0,
                (k, a, c) -> (r, all, s) -> r.destination() != null && s.ip(r.destination()));
        add("src_port", SampleType.INT, null, 0,
                (k, a, c) -> (r, all, s) -> r.sourcePort() >= 0 && s.integer(r.sourcePort()));
        add("dst_port", SampleType.INT, null, 0,
                (k, a, c) -> (r, all, s) -> r.destinationPort() >= 0 && s.integer(r.destinationPort()));

        add("nbsrv", SampleType.INT, null, 1, (k, a, c) -> {
            String be = backend(k, a, c);
            return (r, all, s) -> s.integer(r.state().usableServers(be));
        });
        add("be_conn", SampleType.INT, null, 1, (k, a, c) -> {
            String be = backend(k, a, c);
            return (r, all, s) -> s.integer(r.state().backendConnections(be));
        });
        add("connslots", SampleType.INT, null, 1, (k, a, c) -> {
            String be = backend(k, a, c);
            return (r, all, s) -> s.integer(r.state().connectionSlots(be));
        });
        add("queue", SampleType.INT, null, 1, (k, a, c) -> {
            String be = backend(k, a, c);
            return (r, all, s) -> s.integer(r.state().queued(be));
        });
        add("avg_queue", SampleType.INT, null, 1, (k, a, c) -> {
            String be = backend(k, a, c);
            return (r, all, s) -> {
                int queued = r.state().queued(be);
                int servers = r.state().usableServers(be);
                // HAProxy counts twice the queue when no server is left: one is expected back soon.
                return s.integer(servers > 0 ? queued / servers : 2L * queued);
            };
        });
        add("fe_conn", SampleType.INT, null, 1, (k, a, c) -> {
            String fe = arg(a, 0);
            if (fe == null) {
                requireCapability(k, c, false);
            }
            if (fe != null && !c.catalog().hasFrontend(fe)) {
                throw AclException.invalid("unable to find frontend '" + fe + "' referenced in arg 1 of ACL keyword '"
                        + k + "' in proxy '" + c.proxy() + "'");
            }
            return (r, all, s) -> s.integer(r.state().frontendConnections(fe));
        });
        add("srv_is_up", SampleType.BOOL, null, 1, (k, a, c) -> {
            String spec = arg(a, 0);
            if (spec == null || spec.isEmpty()) {
                throw AclException.invalid(c.keyword(k) + " : missing arguments (got 0/1), type 'server' expected");
            }
            int slash = spec.indexOf('/');
            String be = slash < 0 ? null : spec.substring(0, slash);
            String srv = slash < 0 ? spec : spec.substring(slash + 1);
            if (be != null && !c.catalog().hasBackend(be)) {
                throw AclException.invalid("unable to find backend '" + be + "' referenced in arg 1 of ACL keyword '"
                        + k + "' in proxy '" + c.proxy() + "'");
            }
            if (be == null) {
                requireCapability(k, c, true);
            }
            if (!c.catalog().hasServer(be == null ? c.proxy() : be, srv)) {
                throw AclException.invalid("unable to find server '" + srv + "' in proxy '" + (be == null ? c.proxy() : be)
                        + "', referenced in arg 1 of ACL keyword '" + k + "' in proxy '" + c.proxy() + "'");
            }
            return (r, all, s) -> s.bool(r.state().serverUp(be, srv));
        });

        string("var", false, 2, Fetches::variable);
        // Response fetches: they find a value only while http-response rules run.
        add("status", SampleType.INT, null, 0,
                (k, a, c) -> (r, all, s) -> r.responseStatus() >= 0 && s.integer(r.responseStatus()));
        string("res.hdr", false, 1, (k, a, c) -> {
            String name = headerName(arg(a, 0));
            if (name == null) {
                throw AclException.unsupported(c.keyword(k) + " : without a header name is not supported by Sluice");
            }
            return (r, all, s) -> lastElement(r.responseHeader(name), s);
        });
        string("str", false, 1, (k, a, c) -> {
            // "str()" is the empty string, as in HAProxy.
            String value = arg(a, 0) == null ? "" : arg(a, 0);
            return (r, all, s) -> s.string(value, 0, value.length());
        });
        add("int", SampleType.INT, null, 1, (k, a, c) -> {
            Long value = arg(a, 0) == null ? null : Text.parseLong(arg(a, 0));
            if (value == null) {
                throw AclException.invalid(c.keyword(k) + " : failed to parse '" + arg(a, 0)
                        + "' as type 'signed integer' at position 1");
            }
            long v = value;
            return (r, all, s) -> s.integer(v);
        });

        add("ssl_fc", SampleType.BOOL, null, 0, (k, a, c) -> (r, all, s) -> s.bool(r.proxySsl()));
        tlv("ssl_fc_sni", ProxyTlv.AUTHORITY);
        KEYWORDS.put("ssl_fc_sni_end", new Keyword("ssl_fc_sni_end", SampleType.STR, MatchMethod.END, 0,
                KEYWORDS.get("ssl_fc_sni").factory()));
        KEYWORDS.put("ssl_fc_sni_reg", new Keyword("ssl_fc_sni_reg", SampleType.STR, MatchMethod.REG, 0,
                KEYWORDS.get("ssl_fc_sni").factory()));
        tlv("ssl_fc_alpn", ProxyTlv.ALPN);
        tlv("fc_pp_authority", ProxyTlv.AUTHORITY);
        tlv("fc_pp_unique_id", ProxyTlv.UNIQUE_ID);
        // The request's id from unique-id-format (made at its first use); nothing without a format.
        string("unique-id", false, 0,
                (k, a, c) -> (r, all, s) -> emit(dev.sluice.balancer.log.LogTap.uniqueId(r.channel()), s));
        string("ssl_fc_protocol", false, 0, (k, a, c) -> (r, all, s) -> emit(r.proxySslVersion(), s));
        string("ssl_fc_cipher", false, 0, (k, a, c) -> (r, all, s) -> emit(r.proxySslCipher(), s));
        string("fc_pp_tlv", false, 1, (k, a, c) -> {
            String id = arg(a, 0);
            if (id == null) {
                throw AclException.invalid(c.keyword(k) + " : missing arguments (got 0/1), type 'TLV ID' expected");
            }
            int type = ProxyTlv.parse(id);
            if (type < 0) {
                throw AclException.invalid(c.keyword(k) + " : failed to parse '" + id + "' as type 'TLV ID' at position 1");
            }
            return (r, all, s) -> emit(r.proxyTlv(type), s);
        });
        StickFetches.register();
        AuthFetches.register();
        PayloadFetches.register(); // req.len, req.payload, req.ssl_sni, req.proto_http…
    }

    private Fetches() {
    }

    /** {@code var(NAME[,DEFAULT])}: a variable set by a {@code set-var} rule, in the type it was set with. */
    private static FetchFn variable(String keyword, List<String> args, CompileContext c) {
        String name = arg(args, 0);
        String error = Variables.checkName(name);
        if (error != null) {
            throw AclException.invalid(c.keyword(keyword) + " : " + error);
        }
        String fallback = arg(args, 1);
        return (r, all, s) -> {
            Variables vars = r.variables();
            Object value = vars == null ? null : vars.get(name);
            if (value == null) {
                return fallback != null && s.string(fallback, 0, fallback.length());
            }
            return Variables.emit(value, s);
        };
    }

    /** The keyword, or an exception saying it is unknown (or known to HAProxy but unsupported here). */
    static Keyword lookup(String name, String expression, boolean acl) {
        Keyword k = KEYWORDS.get(name);
        if (k != null) {
            return k;
        }
        String where = acl ? "ACL expression" : "sample expression";
        if (KNOWN_UNSUPPORTED.contains(name)) {
            throw AclException.unsupported("fetch method '" + name + "' in " + where + " '" + expression
                    + "' is not supported by Sluice");
        }
        throw AclException.invalid("unknown fetch method '" + name + "' in " + where + " '" + expression + "'");
    }

    /** For the fetch families defined in their own files ({@link StickFetches}). */
    static void register(String name, SampleType type, int maxArgs, Factory factory) {
        add(name, type, null, maxArgs, factory);
    }

    /** A binary fetch (a string of bytes as ISO-8859-1 chars) whose ACLs match with {@code -m bin} by default. */
    static void registerBinary(String name, int maxArgs, Factory factory) {
        add(name, SampleType.STR, MatchMethod.BIN, maxArgs, factory);
    }

    static void registerAlias(String alias, String name) {
        alias(alias, name);
    }

    private static void add(String name, SampleType type, MatchMethod derivative, int maxArgs, Factory factory) {
        KEYWORDS.put(name, new Keyword(name, type, derivative, maxArgs, factory));
    }

    private static void alias(String alias, String name) {
        Keyword k = KEYWORDS.get(name);
        KEYWORDS.put(alias, new Keyword(alias, k.type(), k.derivative(), k.maxArgs(), k.factory()));
    }

    /** A string fetch, with HAProxy's {@code _beg/_dir/_dom/_end/_len/_reg/_sub} derivatives when asked. */
    private static void string(String name, boolean derivatives, int maxArgs, Factory factory) {
        add(name, SampleType.STR, null, maxArgs, factory);
        if (derivatives) {
            STRING_DERIVATIVES.forEach((suffix, method) -> add(name + suffix, SampleType.STR, method, maxArgs, factory));
        }
    }

    private static void tlv(String name, int type) {
        string(name, false, 0, (k, a, c) -> (r, all, s) -> emit(r.proxyTlv(type), s));
    }

    /** The last comma-separated element of a header value, trimmed, as HAProxy's {@code hdr} fetches see it. */
    private static boolean lastElement(CharSequence value, SampleSink s) {
        if (value == null) {
            return false;
        }
        int from = value.length();
        while (from > 0 && value.charAt(from - 1) != ',') {
            from--;
        }
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.string(value, from, to);
    }

    private static boolean emit(CharSequence value, SampleSink s) {
        return value != null && s.string(value, 0, value.length());
    }

    private static String arg(List<String> args, int index) {
        return index < args.size() ? args.get(index) : null;
    }

    private static String backend(String keyword, List<String> args, CompileContext c) {
        String be = arg(args, 0);
        if (be == null) {
            requireCapability(keyword, c, true);
        }
        if (be != null && !c.catalog().hasBackend(be)) {
            throw AclException.invalid("unable to find backend '" + be + "' referenced in arg 1 of ACL keyword '" + keyword
                    + "' in proxy '" + c.proxy() + "'");
        }
        return be;
    }

    /** Without a name argument the current proxy is meant, so it must be a backend (or a frontend). */
    private static void requireCapability(String keyword, CompileContext c, boolean backend) {
        boolean capable = backend ? c.catalog().hasBackend(c.proxy()) : c.catalog().hasFrontend(c.proxy());
        if (!capable) {
            throw AclException.invalid("proxy '" + c.proxy() + "', referenced in arg 1 of ACL keyword '" + keyword
                    + "' in proxy '" + c.proxy() + "', has not " + (backend ? "backend" : "frontend") + " capability");
        }
    }

    private static Factory urlParam(ValueForm form) {
        return (k, a, c) -> {
            String name = arg(a, 0);
            String delimiter = arg(a, 1);
            char d = delimiter == null || delimiter.isEmpty() ? '&' : delimiter.charAt(0);
            return (r, all, s) -> r.uri() != null && Uris.parameters(r.uri(), name, d, all, form, s);
        };
    }

    /** Header names compare without case; an empty name means every header, as no name does. */
    private static String headerName(String name) {
        return name == null || name.isEmpty() ? null : name.toLowerCase(Locale.ROOT);
    }

    private static Factory header(boolean full, ValueForm form) {
        return (k, a, c) -> {
            String name = headerName(arg(a, 0));
            int occurrence = 0;
            String occ = arg(a, 1);
            if (occ != null) {
                Long value = Text.parseLong(occ);
                if (value == null || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
                    throw AclException.invalid(c.keyword(k) + " : failed to parse '" + occ
                            + "' as type 'integer' at position 2");
                }
                occurrence = value.intValue();
            }
            int occurrenceFinal = occurrence;
            return (r, all, s) -> Headers.values(r, name, occurrenceFinal, full, all, form, s);
        };
    }
}
