package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Values seen from haproxy 2.6.12 with {@code http-request return ... lf-string "%[...]"}. */
class TimeConvertersTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression) {
        return compiler.sampleExpression(expression, "fe").evaluateString(TestRequest.get("/"));
    }

    @Test
    void httpDate() {
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", value("int(0),http_date"));
        assertEquals("Thu, 01 Jan 1970 01:00:00 GMT", value("int(0),http_date(3600)"));
        assertEquals("Thu, 01 Jan 1970 00:00:01.500 GMT", value("int(1500),http_date(0,ms)"));
        assertEquals("Thu, 01 Jan 1970 00:00:01.5 GMT", value("int(1005),http_date(0,ms)"));
        assertEquals("Thu, 01 Jan 1970 00:00:01.234567 GMT", value("int(1234567),http_date(0,us)"));
        assertEquals("Wed, 16 Nov 5138 09:46:40 GMT", value("int(100000000000),http_date"));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", value("str(abc),http_date"));
        assertThrows(AclException.class, () -> value("int(1),http_date(0,h)"));
    }

    @Test
    void strftimeFormats() {
        assertEquals("Thu Thursday Jan January 01  1 00 12 001 01 00 AM 00 70 1970 GMT +0000 %",
                value("int(0),utime(%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %Z %z %%)"));
        assertEquals("0 00:00:00 01/01/70 1970-01-01 00:00 4 4", value("int(0),utime(%s %T %D %F %R %u %w)"));
        assertEquals("1970-01-01 00:00:00", value("int(0),utime(%Y-%m-%d %H:%M:%S)"));
        assertEquals(TimeConverters.format("%Y%m%d%H%M%S", 3600, ZoneId.systemDefault()),
                value("int(0),ltime(%Y%m%d%H%M%S,3600)"));
        assertThrows(AclException.class, () -> value("int(1),ltime"));
        assertThrows(AclException.class, () -> value("int(1),utime(%Y,x)"));
    }
}
