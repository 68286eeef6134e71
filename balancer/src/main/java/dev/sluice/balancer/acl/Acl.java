package dev.sluice.balancer.acl;

import java.util.Arrays;

/**
 * A named ACL: the OR of every {@code acl} line of that name in a proxy. Conditions hold the ACL,
 * not a copy of its lines, so a line added later under the same name counts for rules written
 * before it, as in HAProxy. Lines are only added while the {@link AclScope} compiles; after that
 * the array is never written again.
 */
final class Acl {

    private final String name;
    private AclExpression[] lines = new AclExpression[0];

    Acl(String name) {
        this.name = name;
    }

    void add(AclExpression line) {
        AclExpression[] next = Arrays.copyOf(lines, lines.length + 1);
        next[lines.length] = line;
        lines = next;
    }

    boolean test(RequestView request) {
        for (AclExpression line : lines) {
            if (line.test(request)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name;
    }
}
