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

    /**
     * Three-valued test for content inspection: 3 when a line matches, else 1 when a line's fetch
     * said its value may still change, else 0 (see {@link Condition#evaluateContent}).
     */
    int test(RequestView request, Payload payload) {
        if (payload == null) {
            return test(request) ? 3 : 0;
        }
        int result = 0;
        for (AclExpression line : lines) {
            payload.resetMiss();
            if (line.test(request)) {
                return 3;
            }
            if (payload.missed()) {
                result = 1;
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return name;
    }
}
