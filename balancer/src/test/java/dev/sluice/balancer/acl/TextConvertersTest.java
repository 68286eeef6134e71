package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values seen from haproxy 2.6.12 with {@code http-request return ... lf-string "%[...]"}. */
class TextConvertersTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression, RequestView r) {
        return compiler.sampleExpression(expression, "fe").evaluateString(r);
    }

    private String value(String expression) {
        return value(expression, new VariablesRequest().set("txn.n", 7L).set("txn.s", "abc"));
    }

    @Test
    void lengthBytesAndTrims() {
        assertEquals("3", value("str(abc),length"));
        assertEquals("9", value("src,length", TestRequest.get("/").source("127.0.0.1")));
        assertEquals("cde", value("str(abcdef),bytes(2,3)"));
        assertEquals("", value("str(abcdef),bytes(10)"));
        assertEquals("", value("str(abcdef),bytes(2,0)"));
        assertEquals("bc", value("str(abc),bytes(1,-1)"));
        assertEquals("", value("str(abc),bytes(-1)"));
        assertEquals("abcxx", value("str(xxabcxx),ltrim(x)"));
        assertEquals("xxabc", value("str(xxabcxx),rtrim(x)"));
        assertEquals("aaa", value("str(aaa),ltrim()"));
        assertEquals("Hello", value("req.hdr(x),cut_crlf", TestRequest.get("/").header("X", "Hello\r\nWorld")));
    }

    @Test
    void hostAndPort() {
        assertEquals("host", value("str(Host:80),host_only"));
        assertEquals("80", value("str(Host:80),port_only"));
        assertEquals("[::1]", value("str([::1]:8080),host_only"));
        assertEquals("0", value("str(host),port_only"));
        assertEquals("80", value("str(:80),port_only"));
        assertEquals("0", value("str(h:),port_only"));
        assertEquals("5451", value("str(h:abc),port_only"), "haproxy 2.6 reads the port without checking digits");
        assertEquals("0", value("str([::1]),port_only"));
        assertEquals("81", value("str([::1]:81),port_only"));
    }

    @Test
    void concatAndComparisons() {
        assertEquals("abcxabcy", value("str(abc),concat(x,txn.s,y)"));
        assertEquals("abc7", value("str(abc),concat(,txn.n,)"));
        assertEquals("abcx", value("str(abc),concat(,txn.nothere,x)"));
        assertEquals("0", value("str(abc),strcmp(txn.s)"));
        assertEquals("1", value("str(abd),strcmp(txn.s)"));
        assertEquals("-1", value("str(ab),strcmp(txn.s)"));
        assertEquals("43", value("str(b),strcmp(txn.n)"));
        assertEquals("0", value("int(7),strcmp(txn.n)"));
        assertNull(value("str(abc),strcmp(txn.nothere)"));
        assertEquals("1", value("str(abc),secure_memcmp(txn.s)"));
        assertEquals("0", value("str(abd),secure_memcmp(txn.s)"));
        AclException e = assertThrows(AclException.class, () -> value("str(a),concat(a,foo)"));
        assertTrue(e.getMessage().contains("failed to register variable name 'foo'."), e.getMessage());
    }

    @Test
    void regsub() {
        assertEquals("aXc", value("str(abc),regsub(b,X)"));
        assertEquals("aXcaXc", value("str(abcabc),regsub(b,X,g)"));
        assertEquals("aXcAXC", value("str(aBcABC),regsub(b,X,ig)"));
        assertEquals("12foo", value("str(foo12),regsub('(foo|bar)([0-9]+)?','\\2\\1',i)"));
        assertEquals("12foo", value("str(foo12),regsub(\"(foo|bar)([0-9]+)?\",\"\\2\\1\",i)"));
        assertEquals("a<bb>c", value("str(abc),regsub('(b)','<\\1\\0\\3>')"));
        assertEquals("-a-b-c-", value("str(abc),regsub(x*,-,g)"));
        assertEquals("-a--c-", value("str(abc),regsub('b*','-','g')"));
        assertEquals("-aa", value("str(aaa),regsub('^a','-','g')"));
        assertEquals("/a/b/", value("req.hdr(x),regsub('/+','/','g')", TestRequest.get("/").header("X", "///a//b/")));
        AclException e = assertThrows(AclException.class, () -> value("str(a),regsub(a,b,q)"));
        assertTrue(e.getMessage().contains("invalid regex flag 'q', only 'i' and 'g' are supported."), e.getMessage());
        assertThrows(AclException.class, () -> value("str(a),regsub([,x)"));
        assertThrows(AclException.class, () -> value("str(a),regsub(a)"));
    }

    @Test
    void addItemPutsTheDelimiterOnlyBetweenItems() {
        assertEquals("abc,abcx", value("str(abc),add_item(',',txn.s,x)"));
        assertEquals("abcx", value("str(),add_item(',',txn.s,x)"));
        assertEquals("abc", value("str(abc),add_item(',',txn.nothere)"));
        assertEquals("abc-x", value("str(abc),add_item(-,,x)"));
        assertEquals("x", value("str(),add_item(-,txn.nothere,x)"));
        assertThrows(AclException.class, () -> value("str(a),add_item(-)"));
        assertThrows(AclException.class, () -> value("str(a),add_item(-,foo)"));
    }

    @Test
    void argumentsAreUnquotedAsHaproxyDoes() {
        assertEquals("a,b", value("str('a,b')"));
        assertEquals("3", value("str('a)b'),length"));
        assertEquals("a\\b", value("str(a\\\\b)"));
        assertEquals("a\\2b", value("str('a\\2b')"));
        assertEquals("a\\2b", value("str(a\\2b)"));
        assertEquals("ab(abc)", value("str(ab),concat('(',txn.s,')')"));
    }
}
