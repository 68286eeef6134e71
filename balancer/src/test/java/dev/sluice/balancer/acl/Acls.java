package dev.sluice.balancer.acl;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Test shorthand: compile configuration text the way the config parser hands it over (split words). */
final class Acls {

    private Acls() {
    }

    static List<String> words(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }

    static AclScope scope() {
        return scope(Path.of("."));
    }

    static AclScope scope(Path base) {
        return new AclCompiler(base, ProxyCatalog.ANY).scope("fe");
    }

    /** Whether an anonymous ACL {@code { criterion … }} matches the request. */
    static boolean matches(String acl, RequestView request) {
        return scope().condition(words("if { " + acl + " }")).test(request);
    }

    static boolean matches(AclScope scope, String condition, RequestView request) {
        return scope.condition(words(condition)).test(request);
    }

    static String message(Runnable compile) {
        try {
            compile.run();
        } catch (AclException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an AclException");
    }
}
