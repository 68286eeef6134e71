package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Values seen from haproxy 2.6.12 with {@code http-request return ... lf-string "%[...]"}. */
class DigestConvertersTest {

    private final AclCompiler compiler = new AclCompiler(PatternFileTest.resources(), ProxyCatalog.ANY);

    private String value(String expression) {
        RequestView r = new VariablesRequest(TestRequest.get("/").source("127.0.0.1"),
                dev.sluice.balancer.stick.StickTables.NONE).set("txn.key", "a2V5").set("txn.bad", "!!");
        return compiler.sampleExpression(expression, "fe").evaluateString(r);
    }

    @Test
    void loadBalancingHashes() {
        assertEquals("807794786", value("str(abc),sdbm"));
        assertEquals("659243622", value("str(abc),sdbm(1)"));
        assertEquals("193485963", value("str(abc),djb2"));
        assertEquals("2483038440", value("str(abc),wt6"));
        assertEquals("891568578", value("str(abc),crc32"));
        assertEquals("910901175", value("str(abc),crc32c"));
        assertEquals("1696554816", value("src,crc32"), "an address hashes as its 4 network-order bytes");
    }

    @Test
    void xxhash() {
        assertEquals("852579327", value("str(abc),xxh32"));
        assertEquals("2856167679", value("str(abc),xxh32(1)"));
        assertEquals("4952883123889572249", value("str(abc),xxh64"));
        // Long inputs take the four-lane paths.
        assertEquals(Long.toString(Integer.toUnsignedLong(XxHash.xxh32("0123456789abcdefghij", 0, 20, 0))),
                value("str(0123456789abcdefghij),xxh32"));
    }

    @Test
    void digests() {
        assertEquals("A9993E364706816ABA3E25717850C26C9CD0D89D", value("str(abc),sha1,hex"));
        assertEquals("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", value("str(abc),sha2,hex"));
        assertEquals("3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
                value("str(abc),sha2(512),base64"));
        assertEquals("900150983CD24FB0D6963F7D28E17F72", value("str(abc),digest(md5),hex"));
        assertEquals("20", value("str(abc),sha1,length"));
        AclException e = assertThrows(AclException.class, () -> value("str(a),sha2(100)"));
        assertTrue(e.getMessage().contains("Unsupported number of bits: '100'."), e.getMessage());
        assertThrows(AclException.class, () -> value("str(a),digest(nope)"));
    }

    @Test
    void hmacWithConstantOrVariableKey() {
        String expected = "9C196E32DC0175F86F4B1CB89289D6619DE6BEE699E4C378E68309ED97A1A6AB";
        assertEquals(expected, value("str(abc),hmac(sha256,a2V5),hex"));
        assertEquals(expected, value("str(abc),hmac(sha256,txn.key),hex"));
        assertNull(value("str(abc),hmac(sha256,txn.bad),hex"));
        assertThrows(AclException.class, () -> value("str(a),hmac(sha256,!!)"));
        assertThrows(AclException.class, () -> value("str(a),hmac(nope,a2V5)"));
    }

    /** Inputs of 1 to 1,500 bytes (every XXH3 path), with and without a seed, hashed by haproxy 2.6.12. */
    @Test
    void xxh3AsHaproxy() throws Exception {
        List<String> lines = Files.readAllLines(Path.of(getClass().getResource("/xxh3-haproxy.txt").toURI()));
        int checked = 0;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(" ");
            assertEquals(Long.parseLong(f[1]), Xxh3.hash(f[2], 0, f[2].length(), Long.parseLong(f[0])), line);
            checked++;
        }
        assertEquals(52, checked);
        assertEquals("-4746542111220524153", value("str(p),xxh3"));
        assertEquals("7120209537733641224", value("str(p),xxh3(123456789)"));
    }
}
