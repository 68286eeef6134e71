package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of one ACL line, as the runtime API may change them: its {@code -f} files and the
 * patterns written on the line, each a {@link PatternRef}. It is the sink at the end of the ACL's
 * pipeline and hands each value to the matcher built last; a change to any of its lists builds a
 * new matcher from all of them and publishes it.
 */
final class LivePatterns implements SampleSink {

    private final MatchMethod method;
    private final boolean ignoreCase;
    private final boolean mapFiles;
    /** The files first, then the line's own patterns: the order the line compiled them in. */
    private final List<PatternRef> sources;
    private volatile Matcher matcher;

    LivePatterns(MatchMethod method, boolean ignoreCase, boolean mapFiles, List<PatternRef> files, PatternRef inline,
            Matcher compiled) {
        this.method = method;
        this.ignoreCase = ignoreCase;
        this.mapFiles = mapFiles;
        List<PatternRef> all = new ArrayList<>(files);
        all.add(inline);
        this.sources = List.copyOf(all);
        this.matcher = compiled;
        for (PatternRef ref : sources) {
            // Each list is one user of this ACL: a change to it checks the new pattern with this ACL's method.
            ref.attach(new Use(ref));
        }
    }

    /** An ACL pattern of a file entry: its whole text, or its first word with {@code -M} (a map file). */
    static String pattern(PatternRef.Entry e, boolean mapFiles) {
        return mapFiles ? e.key() : e.text();
    }

    @Override
    public boolean string(CharSequence chars, int from, int to) {
        return matcher.string(chars, from, to);
    }

    @Override
    public boolean integer(long value) {
        return matcher.integer(value);
    }

    @Override
    public boolean ip(IpAddress address) {
        return matcher.ip(address);
    }

    @Override
    public boolean bool(boolean value) {
        return matcher.bool(value);
    }

    private Matcher build(PatternRef changed, List<PatternRef.Entry> changedEntries) {
        Matcher.Builder builder = new Matcher.Builder(method);
        for (PatternRef ref : sources) {
            for (PatternRef.Entry e : ref == changed ? changedEntries : ref.entries()) {
                builder.add(pattern(e, mapFiles), ignoreCase);
            }
        }
        return builder.build();
    }

    /** This ACL as a user of one of its lists. */
    private final class Use implements PatternRef.User {
        private final PatternRef ref;

        Use(PatternRef ref) {
            this.ref = ref;
        }

        @Override
        public void check(PatternRef.Entry entry) {
            new Matcher.Builder(method).add(pattern(entry, mapFiles), ignoreCase);
        }

        @Override
        public void rebuild(List<PatternRef.Entry> entries) {
            matcher = build(ref, entries);
        }

        @Override
        public boolean map() {
            return false;
        }

        @Override
        public String describe(String sample) {
            String head = "type=" + method.keyword() + ", case=" + (ignoreCase ? "insensitive" : "sensitive") + ", ";
            for (PatternRef.Entry e : ref.entries()) {
                Matcher.Builder one = new Matcher.Builder(method);
                one.add(pattern(e, mapFiles), ignoreCase);
                if (one.build().string(sample, 0, sample.length())) {
                    boolean tree = method == MatchMethod.STR || method == MatchMethod.IP || method == MatchMethod.BEG;
                    return head + "match=yes, idx=" + (tree ? "tree" : "list") + ", pattern=\"" + pattern(e, mapFiles)
                            + "\"\n";
                }
            }
            return head + "match=no\n";
        }
    }
}
