package dev.sluice.balancer.acl;

import java.util.List;

/**
 * One compiled {@code acl} line (or anonymous {@code { … }} ACL): a sample expression whose every
 * value is offered to the line's patterns. The pipeline ending in the matcher is built once, so a
 * test allocates nothing beyond what the fetch and converters note.
 */
final class AclExpression {

    private final SampleExpression sample;
    private final SampleSink head;

    private AclExpression(SampleExpression sample, LivePatterns patterns) {
        this.sample = sample;
        this.head = sample.chain(patterns);
    }

    boolean test(RequestView request) {
        return sample.feed(request, true, head);
    }

    /**
     * Compiles {@code CRITERION [flags] [operator] [values…]}. Flags: {@code -i} (later patterns
     * ignore case), {@code -f FILE} (patterns from a file), {@code -m METHOD}, {@code -n} (no name
     * resolution: always the case here), {@code -u ID} (ignored: no runtime API ids yet), {@code -M}
     * (the -f files are maps: first column), {@code --} (end of flags).
     */
    static AclExpression compile(List<String> words, CompileContext context, List<String> warnings) {
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw AclException.invalid("missing fetch method in ACL expression ''");
        }
        SampleExpression sample = SampleExpression.parse(words.get(0), context);
        MatchMethod method = sample.derivative() != null ? sample.derivative() : MatchMethod.defaultFor(sample.type());
        boolean explicitMethod = false;
        boolean ignoreCase = false;
        boolean mapFiles = false;
        Matcher.Builder builder = null;
        List<PatternRef> files = new java.util.ArrayList<>();
        int i = 1;
        for (; i < words.size(); i++) {
            String w = words.get(i);
            // As in HAProxy every word starting with '-' is a flag until "--", negative numbers included.
            if (!w.startsWith("-")) {
                break;
            }
            switch (w) {
                case "-i" -> ignoreCase = true;
                case "-n" -> {
                    // Names are never resolved here, so -n is what Sluice always does.
                }
                case "-M" -> mapFiles = true;
                case "-u" -> {
                    if (++i >= words.size()) {
                        throw AclException.invalid("'-u' must be followed by a unique id");
                    }
                }
                case "-m" -> {
                    if (builder != null) {
                        throw AclException.invalid("'-m' must only be specified before patterns and files in parsing"
                                + " ACL expression");
                    }
                    if (++i >= words.size()) {
                        throw AclException.invalid("'-m' must be followed by a matching method");
                    }
                    method = MatchMethod.byKeyword(words.get(i));
                    if (method == null) {
                        throw AclException.invalid("unknown matching method '" + words.get(i)
                                + "' when parsing ACL expression");
                    }
                    explicitMethod = true;
                    checkCompatible(method, sample);
                }
                case "-f" -> {
                    if (++i >= words.size()) {
                        throw AclException.invalid("'-f' must be followed by a file name");
                    }
                    if (builder == null) {
                        requireMethod(sample, explicitMethod);
                        builder = new Matcher.Builder(method);
                    }
                    PatternRef file = context.files().reference(words.get(i), false);
                    files.add(file);
                    for (PatternRef.Entry e : file.entries()) {
                        try {
                            builder.add(LivePatterns.pattern(e, mapFiles), ignoreCase);
                        } catch (AclException ex) {
                            throw new AclException(ex.kind(), ex.getMessage() + " at line " + e.line() + " of file '"
                                    + words.get(i) + "'");
                        }
                    }
                }
                case "--" -> {
                    i++;
                    break;
                }
                default -> throw AclException.invalid("'" + w + "' is not a valid ACL option. Please use '--' before any"
                        + " pattern beginning with a '-'");
            }
            if (w.equals("--")) {
                break;
            }
        }
        if (!explicitMethod) {
            checkCompatible(method, sample);
        }
        if (builder == null) {
            builder = new Matcher.Builder(method);
        }
        if (sample.fetch() instanceof AuthFetches.GroupFetch groups) {
            groups.checkGroups(words.subList(i, words.size()));
        }
        if (i < words.size()) {
            requireMethod(sample, explicitMethod);
        }
        List<String> written = new java.util.ArrayList<>();
        for (; i < words.size(); i++) {
            String pattern = words.get(i);
            if (method == MatchMethod.INT && !sample.hasConverters()) {
                pattern = PayloadFetches.versionPattern(sample.keyword(), pattern); // req_ssl_ver 3.1
            }
            builder.add(pattern, ignoreCase);
            written.add(pattern);
        }
        if (builder.patterns() == 0 && method != MatchMethod.FOUND && method != MatchMethod.BOOL
                && !words.contains("--")) {
            warnings.add("parsing acl keyword '" + sample.keyword() + "' : no pattern to match against were provided,"
                    + " so this ACL will never match");
        }
        PatternRef inline = context.files().inline(sample.keyword(), written);
        return new AclExpression(sample, new LivePatterns(method, ignoreCase, mapFiles, files, inline, builder.build()));
    }

    /** Binary fetches such as {@code req.payload} have no default method: their patterns need {@code -m}. */
    private static void requireMethod(SampleExpression sample, boolean explicitMethod) {
        if (!explicitMethod && !sample.hasConverters() && PayloadFetches.needsExplicitMethod(sample.keyword())) {
            throw AclException.invalid("matching method must be specified first (using '-m') when using a sample "
                    + "fetch of this type ('" + sample.keyword() + "')");
        }
    }

    /** HAProxy's compatibility matrix of sample types and matching methods (section 7.1). */
    private static void checkCompatible(MatchMethod method, SampleExpression sample) {
        SampleType t = sample.type();
        boolean ok = switch (method) {
            case BOOL -> t != SampleType.IP;
            case INT -> true;
            case IP -> t == SampleType.IP || t == SampleType.STR;
            case BIN -> t == SampleType.STR;
            default -> true;
        };
        // HAProxy's method sample is a string with a method number attached: only string methods apply.
        if (sample.keyword().equals("method") && !sample.hasConverters()
                && (method == MatchMethod.BOOL || method == MatchMethod.INT || method == MatchMethod.IP)) {
            ok = false;
        }
        if (!ok) {
            throw AclException.invalid("matching method '" + method.keyword() + "' cannot be used with fetch keyword '"
                    + sample.keyword() + "'");
        }
    }
}
