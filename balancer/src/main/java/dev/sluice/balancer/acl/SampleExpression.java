package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * A sample expression {@code fetch(args),converter(args),…} parsed and checked once, evaluated many
 * times. ACLs use it for their criterion; the same type serves {@code hash EXPR}, {@code %[expr]} in
 * log formats and header values, and stick-table keys. Immutable and safe to share between threads.
 *
 * <p>Outside ACLs a fetch yields one value: the last occurrence of a header or cookie, the first URL
 * parameter, as HAProxy's sample fetches do. Allocation per evaluation: none to feed a
 * {@link SampleSink} when the expression has no converter; one small stage object per converter
 * otherwise; {@link #evaluateString} also creates the returned String.
 */
public final class SampleExpression {

    private final String text;
    private final String keyword;
    private final FetchFn fetch;
    private final Converters.Converter[] converters;
    private final SampleType type;
    private final MatchMethod derivative;
    /** Whether a converter reads the request (variables, tables): then evaluation publishes it. */
    private final boolean readsRequest;

    private SampleExpression(String text, String keyword, FetchFn fetch, Converters.Converter[] converters,
            SampleType type, MatchMethod derivative) {
        this.text = text;
        this.keyword = keyword;
        this.fetch = fetch;
        this.converters = converters;
        this.type = type;
        this.derivative = derivative;
        boolean reads = false;
        for (Converters.Converter c : converters) {
            reads |= c.readsRequest();
        }
        this.readsRequest = reads;
    }

    /** Parses and checks an expression; {@code context.acl()} picks the wording of messages. */
    static SampleExpression parse(String text, CompileContext context) {
        String where = context.acl() ? "ACL expression" : "sample expression";
        int i = 0;
        int n = text.length();
        while (i < n && text.charAt(i) != '(' && text.charAt(i) != ',') {
            i++;
        }
        String name = text.substring(0, i);
        if (name.isEmpty()) {
            throw AclException.invalid("missing fetch method in " + where + " '" + text + "'");
        }
        Fetches.Keyword keyword = Fetches.lookup(name, text, context.acl());
        // A binary fetch's "bin" default is no derivative keyword: it is a fetch everywhere.
        if (!context.acl() && keyword.derivative() != null && keyword.derivative() != MatchMethod.BIN) {
            // path_beg and friends are ACL keywords only; as fetches HAProxy does not know them.
            throw AclException.invalid("unknown fetch method '" + name + "' in " + where + " '" + text + "'");
        }
        List<String> args = new ArrayList<>();
        i = arguments(text, i, args, context.keyword(name), keyword.maxArgs());
        FetchFn fetch = keyword.factory().create(name, args, context);
        List<Converters.Converter> converters = new ArrayList<>();
        SampleType type = keyword.type();
        while (i < n) {
            if (text.charAt(i) != ',') {
                throw AclException.invalid(context.keyword(name) + " : missing comma after fetch keyword, before '"
                        + text.substring(i) + "'");
            }
            int start = ++i;
            while (i < n && text.charAt(i) != '(' && text.charAt(i) != ',') {
                i++;
            }
            String converterName = text.substring(start, i);
            if (converterName.isEmpty()) {
                throw AclException.invalid(context.keyword(name) + " : missing converter name after ','");
            }
            List<String> converterArgs = new ArrayList<>();
            i = arguments(text, i, converterArgs, context.keyword(name) + " : converter '" + converterName + "'",
                    Integer.MAX_VALUE);
            Converters.Converter c = Converters.create(converterName, converterArgs, context, name, text);
            converters.add(c);
            type = c.output();
        }
        return new SampleExpression(text, name, fetch, converters.toArray(new Converters.Converter[0]), type,
                converters.isEmpty() ? keyword.derivative() : null);
    }

    /** Reads "(a,b)" at {@code i} into args; returns the index after it. Backslash escapes the next char. */
    private static int arguments(String text, int i, List<String> args, String owner, int max) {
        int n = text.length();
        if (i >= n || text.charAt(i) != '(') {
            return i;
        }
        int open = i;
        StringBuilder current = new StringBuilder();
        i++;
        boolean any = false;
        char quote = 0;
        while (true) {
            if (i >= n) {
                throw AclException.invalid(owner + " : expected ')'");
            }
            char c = text.charAt(i);
            if (quote == 0 && (c == '\'' || c == '"') || c == quote) {
                // As HAProxy 2.6's argument parser: quotes group a part of an argument and are dropped.
                quote = quote == 0 ? c : 0;
                i++;
                any = true;
            } else if (c == '\\' && i + 1 < n && quote != '\'') {
                // HAProxy 2.6 unescapes only a backslash, a quote or a space; "\1" stays for regsub.
                char escaped = text.charAt(i + 1);
                if (escaped == '\\' || escaped == '\'' || escaped == '"' || escaped == ' ') {
                    current.append(escaped);
                    i += 2;
                } else {
                    current.append(c); // the next char is read as usual (a comma still separates)
                    i++;
                }
                any = true;
            } else if (quote != 0) {
                current.append(c);
                i++;
            } else if (c == ',' || c == ')') {
                if (any || c == ',' || !args.isEmpty()) {
                    args.add(current.toString());
                }
                current.setLength(0);
                i++;
                if (c == ')') {
                    break;
                }
                any = true;
            } else {
                current.append(c);
                i++;
                any = true;
            }
        }
        if (args.size() > max) {
            if (max == 0) {
                throw AclException.invalid(owner + " : expected ')' before '" + text.substring(open + 1, i) + "'");
            }
            throw AclException.invalid(owner + " : end of arguments expected at position " + (max + 1) + ", but got '"
                    + args.get(max) + "'");
        }
        return i;
    }

    /** The text as written in the configuration. */
    public String text() {
        return text;
    }

    /** The type of the final value (the fetch's, or the last converter's). */
    public SampleType type() {
        return type;
    }

    String keyword() {
        return keyword;
    }

    /** The matching method an ACL derivative keyword implies ({@code path_beg}: beg), null if none or converters follow. */
    /** The compiled fetch, for checks that depend on it ({@code http_auth_group}'s groups). */
    FetchFn fetch() {
        return fetch;
    }

    MatchMethod derivative() {
        return derivative;
    }

    boolean hasConverters() {
        return converters.length > 0;
    }

    /** The pipeline head that ends in {@code terminal}: build it once for a fixed terminal (ACLs do). */
    SampleSink chain(SampleSink terminal) {
        SampleSink head = terminal;
        for (int k = converters.length - 1; k >= 0; k--) {
            head = converters[k].chain(head);
        }
        return head;
    }

    /** Feeds values to a head made by {@link #chain}; every occurrence when {@code all}. */
    boolean feed(RequestView request, boolean all, SampleSink head) {
        if (!readsRequest) {
            return fetch.fetch(request, all, head);
        }
        RequestView outer = ConverterRequest.enter(request);
        try {
            return fetch.fetch(request, all, head);
        } finally {
            ConverterRequest.leave(outer);
        }
    }

    /**
     * Feeds the expression's value to the sink; returns what the sink returned, or false when the
     * fetch or a converter found nothing.
     */
    public boolean evaluate(RequestView request, SampleSink sink) {
        return feed(request, false, converters.length == 0 ? sink : chain(sink));
    }

    /** The value as a string, or null when there is none. Integers and addresses are formatted. */
    public String evaluateString(RequestView request) {
        Capture capture = new Capture(SampleType.STR);
        return evaluate(request, capture) ? capture.text : null;
    }

    /** The value as an integer, or {@code absent}; a string must be a decimal number. */
    public long evaluateLong(RequestView request, long absent) {
        Capture capture = new Capture(SampleType.INT);
        return evaluate(request, capture) && capture.hasNumber ? capture.number : absent;
    }

    /** The value as an address, or null; a string is parsed. */
    public IpAddress evaluateIp(RequestView request) {
        Capture capture = new Capture(SampleType.IP);
        return evaluate(request, capture) ? capture.address : null;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Keeps the one value an evaluation produced, in the form the caller asked for. */
    private static final class Capture implements SampleSink {
        private final SampleType want;
        String text;
        long number;
        boolean hasNumber;
        IpAddress address;

        Capture(SampleType want) {
            this.want = want;
        }

        @Override
        public boolean string(CharSequence chars, int from, int to) {
            switch (want) {
                case INT -> {
                    int digits = from < to && (chars.charAt(from) == '-' || chars.charAt(from) == '+') ? from + 1 : from;
                    hasNumber = Text.allDigits(chars, digits, to) && to - from <= 19;
                    number = hasNumber ? Text.leadingInteger(chars, from, to) : 0;
                    return hasNumber;
                }
                case IP -> {
                    address = IpAddress.parse(chars, from, to);
                    return address != null;
                }
                default -> {
                    text = chars.subSequence(from, to).toString();
                    return true;
                }
            }
        }

        @Override
        public boolean integer(long value) {
            text = Long.toString(value);
            number = value;
            hasNumber = true;
            if (want == SampleType.IP) {
                address = IpAddress.ofV4((int) value);
            }
            return true;
        }

        @Override
        public boolean ip(IpAddress value) {
            text = value.toString();
            address = value;
            hasNumber = value.v4();
            number = value.v4() ? value.v4Bits() & 0xffff_ffffL : 0;
            return true;
        }

        @Override
        public boolean bool(boolean value) {
            return integer(value ? 1 : 0);
        }
    }
}
