package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private AclScope scope;

    @BeforeEach
    void defineTruthTable() {
        scope = Acls.scope();
        scope.define(words("t always_true"));
        scope.define(words("f always_false"));
        scope.define(words("t2 always_true"));
        scope.define(words("f2 always_false"));
    }

    private boolean test(String condition) {
        return scope.condition(words(condition)).test(TestRequest.get("/"));
    }

    @Test
    void juxtapositionIsAnd() {
        assertTrue(test("if t t2"));
        assertFalse(test("if t f"));
        assertFalse(test("if f t"));
    }

    @Test
    void orAndDoubleBarAreOr() {
        assertTrue(test("if f or t"));
        assertTrue(test("if f || t"));
        assertTrue(test("if f OR t"));
        assertFalse(test("if f or f2"));
    }

    @Test
    void andBindsBeforeOr() {
        // t or (f and f2): true; (t or f) and f2 would be false
        assertTrue(test("if t or f f2"));
        // (f and t) or f2: false
        assertFalse(test("if f t or f2"));
        assertTrue(test("if f t or t t2"));
    }

    @Test
    void negationBindsTightestAloneOrAsPrefix() {
        assertTrue(test("if !f"));
        assertTrue(test("if ! f"));
        assertFalse(test("if !t"));
        assertTrue(test("if !!t"));
        assertTrue(test("if !f !f2"));
        assertTrue(test("if !t or !f"));
        assertFalse(test("if !t f or f2"));
    }

    @Test
    void unlessInvertsTheWholeCondition() {
        assertFalse(test("unless t"));
        assertTrue(test("unless t f"));
        assertTrue(scope.condition(true, words("f")).test(TestRequest.get("/")));
        assertTrue(scope.condition(words("unless f")).unless());
    }

    @Test
    void anonymousAclsBetweenBraces() {
        TestRequest r = TestRequest.get("/api/x").method("POST");
        assertTrue(scope.condition(words("if METH_POST { path_beg /api/ }")).test(r));
        assertFalse(scope.condition(words("if METH_POST !{ path_beg /api/ }")).test(r));
        assertFalse(scope.condition(words("if METH_POST ! { path_beg /api/ }")).test(r));
        assertTrue(scope.condition(words("if { nbsrv(dynamic) lt 2 } || { nbsrv(static) lt 2 }")).test(r));
    }

    @Test
    void linesOfOneNameAreOredIncludingLinesAddedAfterTheRule() {
        AclScope s = Acls.scope();
        s.define(words("static path_beg /static /images"));
        Condition c = s.condition(words("if static"));
        s.define(words("static path_end .gif .png"));
        assertTrue(c.test(TestRequest.get("/static/app.js")));
        assertTrue(c.test(TestRequest.get("/pics/a.png")));
        assertFalse(c.test(TestRequest.get("/index.html")));
    }

    @Test
    void userAclsShadowPredefinedOnes() {
        AclScope s = Acls.scope();
        s.define(words("TRUE always_false"));
        assertFalse(s.condition(words("if TRUE")).test(TestRequest.get("/")));
    }

    @Test
    void documentationExample() {
        AclScope s = Acls.scope();
        s.define(words("url_static path_beg /static /images /img /css"));
        s.define(words("url_static path_end .gif .png .jpg .css .js"));
        s.define(words("host_www hdr_beg(host) -i www"));
        s.define(words("host_static hdr_beg(host) -i img. video. download. ftp."));
        Condition toStatic = s.condition(words("if host_static or host_www url_static"));
        Condition toWww = s.condition(words("if host_www"));
        assertTrue(toStatic.test(TestRequest.get("/x").header("Host", "IMG.example.com")));
        assertTrue(toStatic.test(TestRequest.get("/css/a").header("Host", "www.example.com")));
        assertFalse(toStatic.test(TestRequest.get("/index").header("Host", "www.example.com")));
        assertTrue(toWww.test(TestRequest.get("/index").header("Host", "www.example.com")));
    }

    @Test
    void toStringShowsTheCondition() {
        assertEquals("unless t or !f", scope.condition(words("unless t or !f")).toString());
    }

    @Test
    void strayOrsAndBangsAreIgnoredAsHaproxyDoes() {
        assertTrue(test("if or t"));
        assertTrue(test("if t or"));
        assertFalse(test("if f ! or f2")); // a "!" before "or" is dropped, as haproxy 2.6 drops it
        assertFalse(test("if f || || f2"));
    }
}
