package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Values seen from haproxy 2.6.12 with {@code http-request return ... lf-string "%[...]"}. */
class EncodingConvertersTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression, RequestView r) {
        return compiler.sampleExpression(expression, "fe").evaluateString(r);
    }

    private String value(String expression) {
        return value(expression, TestRequest.get("/").source("127.0.0.1"));
    }

    private String header(String expression, String value) {
        return value(expression, TestRequest.get("/").header("X", value));
    }

    /** Bytes as chars 0–255, the way Netty hands header bytes over. */
    private static String bytes(int... b) {
        StringBuilder s = new StringBuilder();
        for (int x : b) {
            s.append((char) x);
        }
        return s.toString();
    }

    @Test
    void base64AndHex() {
        assertEquals("YWJj", value("str(abc),base64"));
        assertEquals("abc", value("str(YWJj),b64dec"));
        assertEquals("YWJjZA", value("str(abcd),ub64enc"));
        assertEquals("FBFF", value("str(-_8),ub64dec,hex"));
        assertEquals("-_8", value("str(-_8),ub64dec,ub64enc"));
        assertNull(value("str(YW),b64dec,hex"));
        assertEquals("6162", value("str(YWJ=),b64dec,hex"));
        assertEquals("616263", value("str(abc),hex"));
        assertEquals("7F000001", value("src,hex"));
        assertEquals("000000000000012C", value("int(300),hex"));
        assertEquals("AAAAAAAAAAU=", value("int(5),base64"));
        assertEquals("6382179", value("str(616263),hex2i"));
        assertNull(value("str(zz),hex2i"));
        assertEquals("0", value("str(10000000000000000000000),hex2i"));
        assertEquals("-1", value("str(ffffffffffffffff),hex2i"));
    }

    @Test
    void urlDecodeAndEncode() {
        assertEquals("a b+c", value("str(a%20b+c),url_dec"));
        assertEquals("a b c", value("str(a%20b+c),url_dec(1)"));
        assertEquals("a?x= b c", value("str(a?x=%20b+c),url_dec"));
        assertNull(value("str(a%2),url_dec"));
        assertNull(value("str(a%zzb),url_dec"));
        assertEquals("3", value("str(a%00b),url_dec,length"));
        StringBuilder printable = new StringBuilder();
        for (char c = 33; c < 127; c++) {
            printable.append(c);
        }
        assertEquals("%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40"
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~",
                header("req.hdr(x),url_enc", printable.toString()));
        assertEquals("a%20b%26c%3Dd%2F%C3%A9", header("req.hdr(x),url_enc", "a b&c=d/" + bytes(0xc3, 0xa9)));
        assertThrows(AclException.class, () -> value("str(a),url_enc(form)"));
    }

    @Test
    void json() {
        assertEquals("a\\\"b\\\\\\\\c\\\\u\\u00c3\\u00a9",
                header("req.hdr(x),json", "a\"b\\\\c\\u" + bytes(0xc3, 0xa9)));
        String utf8 = bytes(0xc3, 0xa9, 't', 0xe2, 0x82, 0xac);
        assertEquals("\\u00e9t\\u20ac", header("req.hdr(x),json(utf8)", utf8));
        assertEquals("\\u00c3\\u00a9t\\u00e2\\u0082\\u00ac", header("req.hdr(x),json(ascii)", utf8));
        String bad = bytes('a', 0xff, 'b', 0x80, 'c');
        assertNull(header("req.hdr(x),json(utf8)", bad));
        assertEquals("abc", header("req.hdr(x),json(utf8s)", bad));
        assertNull(header("req.hdr(x),json(utf8p)", bad));
        assertEquals("abc", header("req.hdr(x),json(utf8ps)", bad));
        String overlong = bytes('a', 0xc0, 0xaf, 'b');
        assertNull(header("req.hdr(x),json(utf8)", overlong));
        assertEquals("a\\/b", header("req.hdr(x),json(utf8p)", overlong));
        String astral = bytes('a', 0xf0, 0x9f, 0x98, 0x80, 'b');
        assertNull(header("req.hdr(x),json(utf8)", astral));
        assertEquals("ab", header("req.hdr(x),json(utf8s)", astral));
        assertEquals("ab\\u0001c\\n", header("req.hdr(x),json", "ab\u0001c\n"));
        assertThrows(AclException.class, () -> value("str(a),json(bad)"));
    }

    @Test
    void bigEndianChunks() {
        assertEquals("00000102", value("int(258),htonl,hex"));
        assertEquals("FFFFFFFF", value("int(-1),htonl,hex"));
        assertEquals("616263", value("str(abc),be2hex"));
        assertEquals("6162:6364:6566:67", value("str(abcdefg),be2hex(:,2)"));
        assertEquals("6162--6364--6566", value("str(abcdefg),be2hex(--,2,1)"));
        assertEquals("616263646566", value("str(abcdefg),be2hex(,3,1)"));
        assertEquals("24930:25444:25958:103", value("str(abcdefg),be2dec(:,2)"));
        assertEquals("24930-25444-25958", value("str(abcdefg),be2dec(-,2,1)"));
        assertEquals("249302544425958", value("str(abcdefg),be2dec(,2,1)"));
        assertEquals("127.0.0.1", value("src,be2dec(.,1)"));
        assertEquals("7017280452245743464:26986", value("str(abcdefghij),be2dec(:,8)"));
        assertThrows(AclException.class, () -> value("str(a),be2dec"));
        assertThrows(AclException.class, () -> value("str(a),be2dec(:,9)"));
        assertThrows(AclException.class, () -> value("str(a),be2hex(:,0)"));
    }
}
