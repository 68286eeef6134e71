package dev.sluice.balancer.lb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashKeysTest {
    private static final HashFunction F = HashFunction.SDBM;

    private static long of(String text) {
        return Integer.toUnsignedLong(F.hash(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // uri                            | whole | len | depth | path-only | hashed part
        "/a/b/c?x=1                       | false | 0   | 0     | false     | /a/b/c",
        "/a/b/c?x=1                       | true  | 0   | 0     | false     | /a/b/c?x=1",
        "/a/b/c?x=1                       | false | 4   | 0     | false     | /a/b",
        "/a/b/c?x=1                       | false | 0   | 1     | false     | /a",
        "/a/b/c?x=1                       | false | 0   | 2     | false     | /a/b",
        "/a/b/c?x=1                       | false | 0   | 9     | false     | /a/b/c",
        "/a/b/c?x=1                       | false | 3   | 2     | false     | /a/",
        "http://example.com/a/b?x=1       | false | 0   | 0     | false     | http://example.com/a/b",
        "http://example.com/a/b?x=1       | false | 0   | 0     | true      | /a/b",
        "http://example.com/a/b?x=1       | true  | 0   | 1     | true      | /a",
        "http://example.com               | false | 0   | 0     | true      | ''",
        "example.com:443                  | false | 0   | 0     | true      | ''",
    })
    void uriOptions(String uri, boolean whole, int len, int depth, boolean pathOnly, String hashed) {
        Balance.Uri spec = new Balance.Uri(whole, len, depth, pathOnly);
        assertEquals(of(hashed), Integer.toUnsignedLong(HashKeys.uri(spec, F, uri)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/p?user=alice                 | alice",
        "/p?a=1&user=bob&c=3           | bob",
        "/p?a=1&user=                  | ''",
        "/p?users=x&user=carol         | carol",
        "/p?xuser=x&user=dave&user=eve | dave",
    })
    void urlParamValue(String uri, String value) {
        assertEquals(of(value), HashKeys.urlParam("user", F, uri));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/p",
        "/p?",
        "/p?usr=alice",
        "/p?USER=alice",
        "/p?user",
        "/p?a=1&b=2",
    })
    void urlParamAbsent(String uri) {
        assertEquals(HashKeys.MISSING, HashKeys.urlParam("user", F, uri));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "haproxy.1wt.eu     | 1wt",
        "www.example.com    | example",
        "example.com        | example",
        "a.b.c.d            | c",
        "localhost          | localhost",
        "example.com.       | com",
        "example.com:8080   | example",
        ".com               | .com",
    })
    void domainOnly(String host, String hashed) {
        assertEquals(of(hashed), HashKeys.header(new Balance.Header("host", true), F, host));
    }
}
