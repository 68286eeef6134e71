package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.message;
import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The messages are HAProxy 2.6's (seen with haproxy -c), without its "[ALERT] … parsing [file:line] :" prefix. */
class AclErrorTest {

    private static String define(String line) {
        return message(() -> Acls.scope().define(words(line)));
    }

    private static String condition(String text) {
        return message(() -> Acls.scope().condition(words(text)));
    }

    @Test
    void unknownFetch() {
        assertEquals("error detected while parsing ACL 'a' : unknown fetch method 'foo' in ACL expression 'foo(bar)'.",
                define("a foo(bar) x"));
    }

    @Test
    void unknownMatchingMethodAndOption() {
        assertEquals("error detected while parsing ACL 'a' : unknown matching method 'foo' when parsing ACL expression.",
                define("a path_beg -m foo x"));
        assertEquals("error detected while parsing ACL 'a' : '-x' is not a valid ACL option. Please use '--' before any"
                + " pattern beginning with a '-'.", define("a path -x foo"));
        assertEquals("error detected while parsing ACL 'a' : matching method 'ip' cannot be used with fetch keyword"
                + " 'method'.", define("a method -m ip 1.2.3.4"));
    }

    @Test
    void badAddresses() {
        assertEquals("error detected while parsing ACL 'a' : '1.2.3.4/33' is not a valid IPv4 or IPv6 address.",
                define("a src 1.2.3.4/33"));
        assertEquals("error detected while parsing ACL 'a' : '::1/129' is not a valid IPv4 or IPv6 address.",
                define("a src 10.0.0.0/8 ::1/129"));
        AclException e = assertThrows(AclException.class, () -> Acls.scope().define(words("a src www.example.com")));
        assertEquals(AclException.Kind.UNSUPPORTED, e.kind());
    }

    @Test
    void badIntegers() {
        assertEquals("error detected while parsing ACL 'a' : 'foo' is neither a number nor a supported operator.",
                define("a src_port lt foo"));
        assertEquals("error detected while parsing ACL 'a' : '1:2:3' is not a valid number range.",
                define("a src_port 1:2:3"));
        assertEquals("error detected while parsing ACL 'a' : 'x' is not a number.", define("a hdr_cnt(a) x"));
    }

    @Test
    void badRegex() {
        String m = define("a path_reg ([a-z");
        assertEquals(true, m.startsWith("error detected while parsing ACL 'a' : regex '([a-z' is invalid (error="), m);
    }

    @Test
    void missingFile() {
        assertEquals("error detected while parsing ACL 'a' : failed to open pattern file </nonexistent>.",
                define("a path -f /nonexistent"));
    }

    @Test
    void badPatternInAFileNamesItsLine() {
        String m = message(() -> new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY).scope("fe")
                .define(words("a src -f user-agents.lst")));
        assertEquals("error detected while parsing ACL 'a' : 'curl/8.0' is not a valid IPv4 or IPv6 address at line 2 of"
                + " file 'user-agents.lst'.", m);
    }

    @Test
    void badArguments() {
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'hdr' : failed to parse 'x' as type 'integer'"
                + " at position 2.", define("a hdr(host,x) x"));
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path_beg' : expected ')' before 'x)'.",
                define("a path_beg(x) /"));
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path' : expected ')'.", define("a path( /"));
        assertEquals("error detected while parsing ACL 'a' : missing fetch method in ACL expression ''.", define("a"));
    }

    @Test
    void badConverters() {
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path' : unknown converter 'nope'..",
                define("a path,nope foo"));
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path' : invalid args in converter 'map' :"
                + " failed to open pattern file </nonexistent>..", define("a path,map(/nonexistent) foo"));
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path' : invalid arg 1 in converter 'word' :"
                + " failed to parse 'x' as type 'integer' at position 1..", define("a path,word(x,/) foo"));
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path' : invalid arg 2 in converter 'word' :"
                + " missing arguments (got 1/2), type 'string' expected..", define("a path,word(1) foo"));
        assertEquals("error detected while parsing ACL 'a' : ACL keyword 'path' : invalid args in converter 'field' :"
                + " Unexpected value 0 for index..", define("a path,field(0,/) foo"));
        assertEquals("error detected while parsing ACL 'a' : invalid arg 1 in converter 'ipmask' :"
                + " failed to parse '33' as type 'IPv4 mask' at position 1 in ACL expression 'src,ipmask(33)'.",
                define("a src,ipmask(33) 1.2.3.4"));
    }

    @Test
    void aclDerivativesAreNotSampleFetches() {
        AclCompiler compiler = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
        assertEquals("unknown fetch method 'path_beg' in sample expression 'path_beg'",
                message(() -> compiler.sampleExpression("path_beg", "fe")));
        assertEquals("unknown fetch method 'nope' in sample expression 'nope,lower'",
                message(() -> compiler.sampleExpression("nope,lower", "fe")));
    }

    @Test
    void badNames() {
        assertEquals("character '*' is not permitted in acl name 'a*'.", define("a* path x"));
    }

    @Test
    void unknownBackendsAndServers() {
        ProxyCatalog catalog = new ProxyCatalog() {
            @Override
            public boolean hasBackend(String name) {
                return name.equals("be");
            }

            @Override
            public boolean hasFrontend(String name) {
                return name.equals("fe");
            }

            @Override
            public boolean hasServer(String backend, String server) {
                return "be".equals(backend) && server.equals("s1");
            }
        };
        AclScope scope = new AclCompiler(Path.of("."), catalog).scope("fe");
        assertEquals("error detected while parsing ACL 'a' : unable to find backend 'nope' referenced in arg 1 of ACL"
                + " keyword 'nbsrv' in proxy 'fe'.", message(() -> scope.define(words("a nbsrv(nope) gt 0"))));
        assertEquals("error detected while parsing ACL 'a' : unable to find server 'nope' in proxy 'be', referenced in"
                + " arg 1 of ACL keyword 'srv_is_up' in proxy 'fe'.",
                message(() -> scope.define(words("a srv_is_up(be/nope)"))));
        scope.define(words("ok srv_is_up(be/s1)"));
        scope.define(words("ok nbsrv(be) gt 0"));
        scope.define(words("ok fe_conn(fe) gt 0"));
        assertEquals(Set.of("ok"), scope.names());
    }

    @Test
    void conditions() {
        assertEquals("no such ACL : 'b'", condition("if b"));
        assertEquals("missing closing '}' in condition", condition("if { path_beg /x"));
        assertEquals("missing fetch method in ACL expression ''", condition("if { }"));
        assertEquals("missing condition after 'if'", condition("if or !"));
        AclScope scope = Acls.scope();
        assertEquals("no such ACL : 'a'", message(() -> scope.condition(words("if a"))));
        scope.define(words("a path /x"));
        scope.condition(words("if a"));
    }

    @Test
    void unsupportedIsToldApartFromInvalid() {
        AclException e = assertThrows(AclException.class, () -> Acls.scope().define(words("a req.body -m found")));
        assertEquals(AclException.Kind.UNSUPPORTED, e.kind());
        assertEquals(AclException.Kind.INVALID,
                assertThrows(AclException.class, () -> Acls.scope().define(words("a bogus x"))).kind());
    }

    @Test
    void anAclWithoutPatternsWarnsAsHaproxyDoes() {
        AclScope scope = Acls.scope();
        scope.define(words("a path_beg"));
        scope.define(words("b req.cook(x) -m found"));
        scope.define(words("c path --"));
        assertEquals(List.of("parsing acl keyword 'path_beg' : no pattern to match against were provided, so this ACL"
                + " will never match"), scope.warnings());
    }
}
