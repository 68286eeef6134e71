package dev.sluice.balancer.acl;

/**
 * What compiling a keyword may need: where pattern and map files live, which names exist, the
 * proxy being compiled (for messages) and how the keyword is named in messages.
 */
record CompileContext(PatternFiles files, ProxyCatalog catalog, String proxy, boolean acl) {

    /** "ACL keyword 'x'" or "fetch method 'x'", the prefix HAProxy puts before an argument error. */
    String keyword(String name) {
        return (acl ? "ACL keyword '" : "fetch method '") + name + "'";
    }
}
