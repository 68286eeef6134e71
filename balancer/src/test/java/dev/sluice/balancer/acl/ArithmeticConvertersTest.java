package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Values seen from haproxy 2.6.12 with {@code http-request return ... lf-string "%[...]"}. */
class ArithmeticConvertersTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression, RequestView r) {
        return compiler.sampleExpression(expression, "fe").evaluateString(r);
    }

    private String value(String expression) {
        return value(expression, new VariablesRequest().set("txn.n", 7L).set("txn.s", "abc"));
    }

    @Test
    void operationsWithConstants() {
        assertEquals("17", value("int(10),add(7)"));
        assertEquals("3", value("int(10),sub(7)"));
        assertEquals("70", value("int(10),mul(7)"));
        assertEquals("-3", value("int(-7),div(2)"));
        assertEquals("-1", value("int(-7),mod(2)"));
        assertEquals("2", value("int(6),and(3)"));
        assertEquals("7", value("int(6),or(3)"));
        assertEquals("5", value("int(6),xor(3)"));
        assertEquals("-10", value("int(10),neg"));
        assertEquals("-6", value("int(5),cpl"));
        assertEquals("3", value("int(3),add"));
    }

    @Test
    void overflowSaturatesAndDivisionByZeroIsTheLargestInteger() {
        assertEquals("9223372036854775807", value("int(9223372036854775807),add(1)"));
        assertEquals("9223372036854775807", value("int(9223372036854775807),mul(2)"));
        assertEquals("-9223372036854775808", value("int(-9223372036854775807),mul(2)"));
        assertEquals("-9223372036854775808", value("int(-9223372036854775807),sub(5)"));
        assertEquals("9223372036854775807", value("int(10),div(0)"));
        assertEquals("9223372036854775807", value("int(-10),div(0)"));
        assertEquals("0", value("int(10),mod(0)"));
        assertEquals("9223372036854775807", value("int(-9223372036854775808),div(-1)"));
        assertEquals("9223372036854775807", value("int(-9223372036854775808),neg"));
        assertEquals("0", value("int(-9223372036854775808),mod(-1)"));
    }

    @Test
    void variableOperands() {
        assertEquals("17", value("int(10),add(txn.n)"));
        assertNull(value("int(10),add(txn.nothere)"));
        assertEquals("10", value("int(10),add(txn.s)"), "a string that does not start with digits reads 0");
    }

    @Test
    void stringsCastAsTheirLeadingInteger() {
        assertEquals("8", value("str(7x),add(1)"));
        assertEquals("1", value("str(abc),add(1)"));
        assertNull(value("str(),add(1)"));
        assertEquals("-4", value("str(-5),add(1)"));
        assertEquals("-7", value("str(7),neg"));
    }

    @Test
    void booleans() {
        assertEquals("1", value("int(5),bool"));
        assertEquals("1", value("int(0),not"));
        assertEquals("1", value("int(3),odd"));
        assertEquals("0", value("int(3),even"));
        assertEquals("1", value("int(1),even,not"));
        assertEquals("2", value("int(1),odd,add(1)"));
        assertTrue(Acls.matches("int(6),and(2),bool", TestRequest.get("/")));
    }

    @Test
    void badOperandIsRefused() {
        AclException e = assertThrows(AclException.class, () -> value("int(1),add(foo)"));
        assertTrue(e.getMessage().contains("invalid args in converter 'add' : expects an integer or a variable name."),
                e.getMessage());
        assertThrows(AclException.class, () -> value("int(1),add(12x)"));
        assertThrows(AclException.class, () -> value("int(1),neg(1)"));
    }

    @Test
    void iif() {
        assertEquals("yes", value("int(1),iif(yes,no)"));
        assertEquals("no", value("int(0),iif(yes,no)"));
        assertEquals("no", value("str(abc),iif(yes,no)"));
        assertNull(value("str(),iif(yes,no)"));
        assertThrows(AclException.class, () -> value("str(a),iif(yes)"));
    }
}
