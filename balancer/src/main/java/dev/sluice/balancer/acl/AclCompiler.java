package dev.sluice.balancer.acl;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Entry point of the ACL engine: compiles {@code acl} lines and {@code if}/{@code unless}
 * conditions into {@link Condition}s, and sample expressions into {@link SampleExpression}s, for
 * one configuration load. Pattern and map files are read once per compiler whatever the number of
 * lines naming them. Errors are {@link AclException}s whose message the caller prefixes with
 * {@code [ALERT] file:line:}.
 */
public final class AclCompiler {

    private final PatternFiles files;
    private final ProxyCatalog catalog;

    /**
     * @param baseDirectory where relative {@code -f} and map file names resolve (HAProxy uses its
     *     working directory)
     * @param catalog the backends, frontends and servers the configuration declares, to check the
     *     arguments of {@code nbsrv}, {@code srv_is_up}…; {@link ProxyCatalog#ANY} to skip the check
     */
    public AclCompiler(Path baseDirectory, ProxyCatalog catalog) {
        this.files = new PatternFiles(Objects.requireNonNull(baseDirectory, "baseDirectory"));
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Where the line compiled next is, for the descriptions the runtime API shows of its pattern lists. */
    public void at(String file, int line) {
        files.at(file, line);
    }

    /** The pattern lists compiled so far, which the runtime API may show and change. */
    public PatternRefs patterns() {
        return files.refs();
    }

    /** The list of a pattern or map file that a rule action ({@code add-acl(FILE)}, {@code set-map(FILE)}, …) changes. */
    public PatternRef patternFile(String name) {
        return files.forAction(name);
    }

    /** A scope for the ACLs of the named proxy (named in messages). */
    public AclScope scope(String proxy) {
        return new AclScope(new CompileContext(files, catalog, Objects.requireNonNull(proxy, "proxy"), true));
    }

    /** Parses a sample expression such as {@code req.hdr(host),lower,map(hosts.map,www)} for use in proxy. */
    public SampleExpression sampleExpression(String text, String proxy) {
        Objects.requireNonNull(text, "text");
        return SampleExpression.parse(text, new CompileContext(files, catalog, Objects.requireNonNull(proxy, "proxy"),
                false));
    }
}
