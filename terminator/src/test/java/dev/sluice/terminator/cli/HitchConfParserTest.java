package dev.sluice.terminator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HitchConfParserTest {
    private static final Path FILE = Path.of("/etc/hitch/hitch.conf");

    @Test
    void assignmentsQuotedAndBareWithComments() throws Exception {
        List<Setting> settings = HitchConfParser.parse(FILE, """
                # a comment
                backend = "[127.0.0.1]:6086"    # trailing comment
                workers = 1
                tls-protos = TLSv1.2 TLSv1.3
                alpn-protos = "h2, http/1.1"
                ocsp-dir = ""
                write-proxy-v2 = on
                """);
        assertEquals(List.of(
                Setting.of("backend", "[127.0.0.1]:6086", Origin.file(FILE, 2)),
                Setting.of("workers", "1", Origin.file(FILE, 3)),
                Setting.of("tls-protos", "TLSv1.2 TLSv1.3", Origin.file(FILE, 4)),
                Setting.of("alpn-protos", "h2, http/1.1", Origin.file(FILE, 5)),
                Setting.of("ocsp-dir", "", Origin.file(FILE, 6)),
                Setting.of("write-proxy-v2", "on", Origin.file(FILE, 7))), settings);
    }

    @Test
    void frontendAndPemBlocks() throws Exception {
        List<Setting> settings = HitchConfParser.parse(FILE, """
                frontend = {
                    host = "*"
                    port = "443"
                    pem-file = {
                        cert = "/etc/a.crt"
                        private-key = "/etc/a.key"
                    }
                }
                frontend = { host = "::1" port = "8443" }
                """);
        assertEquals(2, settings.size());
        Setting first = settings.get(0);
        assertTrue(first.isBlock());
        assertEquals(Origin.file(FILE, 1), first.origin());
        assertEquals(Setting.of("host", "*", Origin.file(FILE, 2)), first.block().get(0));
        Setting pem = first.block().get(2);
        assertEquals("pem-file", pem.key());
        assertEquals(List.of(Setting.of("cert", "/etc/a.crt", Origin.file(FILE, 5)),
                             Setting.of("private-key", "/etc/a.key", Origin.file(FILE, 6))), pem.block());
        assertEquals(List.of(Setting.of("host", "::1", Origin.file(FILE, 9)),
                             Setting.of("port", "8443", Origin.file(FILE, 9))), settings.get(1).block());
    }

    @Test
    void escapedQuoteInString() throws Exception {
        assertEquals("a\"b", HitchConfParser.parse(FILE, "ciphers = \"a\\\"b\"\n").getFirst().value());
    }

    @Test
    void errorsNameFileAndLine() {
        assertError("/etc/hitch/hitch.conf:2: expected '=' after 'backend'", "\nbackend \"[x]:1\"\n");
        assertError("/etc/hitch/hitch.conf:1: missing value after 'workers ='", "workers =\nbacklog = 1\n");
        assertError("/etc/hitch/hitch.conf:3: unterminated quoted string", "\n\nciphers = \"abc\n");
        assertError("/etc/hitch/hitch.conf:1: block 'frontend = {' is never closed with '}'", "frontend = {\nport = 1\n");
        assertError("/etc/hitch/hitch.conf:2: unexpected '}'", "workers = 1\n}\n");
        assertError("/etc/hitch/hitch.conf:1: expected a key, found '='", "= 1\n");
        assertError("/etc/hitch/hitch.conf:1: blocks nest too deep", "a = { b = { c = { d = 1 } } }");
    }

    private static void assertError(String expected, String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> HitchConfParser.parse(FILE, text));
        assertEquals(expected, e.getMessage());
    }
}
