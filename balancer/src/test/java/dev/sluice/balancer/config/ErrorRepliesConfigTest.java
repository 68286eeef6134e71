package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code http-errors} sections, {@code errorfiles} and {@code http-error}: which page or reply each
 * status ends with (the last line wins, defaults first), and each bad line refused at its file:line.
 */
class ErrorRepliesConfigTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;

    @TempDir
    static Path dir;

    private static String page(String name, int status, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        return file.toString();
    }

    private static RuntimePlan plan(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan();
    }

    private static String body(Map<Integer, byte[]> pages, int status) {
        String text = new String(pages.get(status), StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\r\n\r\n") + 4);
    }

    private static FrontendPlan front(RuntimePlan plan) {
        return plan.frontends().getFirst();
    }

    private static BackendPlan back(RuntimePlan plan, String name) {
        return plan.backends().stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void errorfilesTakesEveryPageOfASectionDeclaredLater() throws IOException {
        RuntimePlan plan = plan(HEAD + """
                frontend fe
                  bind 127.0.0.1:8081
                  errorfiles site
                  default_backend be
                backend be
                  errorfiles site 503
                http-errors site
                  errorfile 503 %s
                  errorfile 502 %s
                """.formatted(page("a503", 503, "sorry"), page("a502", 502, "bad")));
        assertEquals("sorry", body(front(plan).errorfiles(), 503));
        assertEquals("bad", body(front(plan).errorfiles(), 502));
        assertEquals("sorry", body(back(plan, "be").errorfiles(), 503));
        assertNull(back(plan, "be").errorfiles().get(502), "only the code named");
    }

    @Test
    void theLastDirectiveForAStatusWinsWhateverItsKind() throws IOException {
        String file = page("b503", 503, "file");
        RuntimePlan plan = plan(HEAD + """
                  http-error status 503 content-type text/plain string from-defaults
                frontend fe
                  bind 127.0.0.1:8081
                  errorfiles site
                  default_backend be
                backend be
                  errorfile 503 %1$s
                  http-error status 503 content-type text/plain lf-string "at %%[req.hdr(host)]" hdr X-A b
                backend other
                  http-error status 503 content-type text/plain string x
                  errorfiles site 503
                backend plain
                  errorfile 503 %1$s
                  http-error status 503 default-errorfiles
                http-errors site
                  errorfile 503 %1$s
                """.formatted(file));
        // fe: defaults' http-error, then its own errorfiles: the file
        assertEquals("file", body(front(plan).errorfiles(), 503));
        assertTrue(front(plan).extras().errorReplies().isEmpty());
        // be: errorfile then http-error: the reply, made per request
        assertNull(back(plan, "be").errorfiles().get(503));
        var reply = back(plan, "be").extras().errorReplies().get(503);
        assertNotNull(reply);
        assertEquals("text/plain", reply.contentType());
        assertEquals(1, reply.headers().size());
        assertEquals("file", body(back(plan, "other").errorfiles(), 503));
        assertTrue(back(plan, "other").extras().errorReplies().isEmpty());
        assertNull(back(plan, "plain").errorfiles().get(503), "default-errorfiles: the built-in page");
        assertTrue(back(plan, "plain").extras().errorReplies().isEmpty());
    }

    @Test
    void httpErrorWithErrorfileOrErrorfilesIsAPage() throws IOException {
        String file = page("c500", 500, "five");
        RuntimePlan plan = plan(HEAD + """
                frontend fe
                  bind 127.0.0.1:8081
                  http-error status 500 errorfile %1$s
                  http-error status 503 errorfiles site
                  default_backend be
                backend be
                  server s 127.0.0.1:8080
                http-errors site
                  errorfile 503 %1$s
                """.formatted(file));
        assertEquals("five", body(front(plan).errorfiles(), 500));
        assertEquals("five", body(front(plan).errorfiles(), 503));
    }

    @Test
    void aCodeTheSectionLacksIsAWarning() throws IOException {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + """
                frontend fe
                  bind 127.0.0.1:8081
                  errorfiles site 502
                  default_backend be
                backend be
                  server s 127.0.0.1:8080
                http-errors site
                  errorfile 503 %s
                """.formatted(page("d503", 503, "x")), Map.of());
        assertTrue(result.isValid(), result.render());
        assertTrue(result.render().contains("t.cfg:8") && result.render().contains("status '502' not declared"),
                result.render());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "errorfiles nowhere | unknown http-errors section 'nowhere'",
        "errorfiles site 299 | status code '299' not handled",
        "errorfiles | expects at least 1 argument",
        "http-error content-type text/plain string x | expects at least a <status>",
        "http-error status 299 | status code '299' not handled",
        "http-error status 503 string x | a 'content-type' is required",
        "http-error status 503 content-type text/plain lf-string %[nope()] | http-error",
        "http-error status 503 errorfile /nonexistent/file | error opening file",
        "http-error status 503 default-errorfiles bogus | unknown keyword 'bogus'",
        "http-error status 503 errorfiles | expects <name>",
    })
    void badLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + """
                frontend fe
                  bind 127.0.0.1:8081
                  %s
                  default_backend be
                backend be
                  server s 127.0.0.1:8080
                http-errors site
                  errorfile 503 /dev/null
                """.formatted(line), Map.of());
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:8") && result.render().contains(message), result.render());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http-errors | missing name",
        "http-errors a b | unexpected argument 'b'",
        "http-errors a/b | is not permitted",
    })
    void badSectionHeadersAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + line + "\n  errorfile 503 /dev/null\n", Map.of());
        assertFalse(result.isValid(), line);
        assertTrue(result.render().contains("t.cfg:6") && result.render().contains(message), result.render());
    }

    @Test
    void aSectionRefusesOtherKeywordsBadFilesAndASecondSectionOfTheName() {
        String text = HEAD + """
                http-errors a
                  errorfile 503 /nonexistent/file
                  errorloc 503 /x
                http-errors a
                """;
        String rendered = ConfigLoader.parse("t.cfg", text, Map.of()).render();
        assertTrue(rendered.contains("t.cfg:7") && rendered.contains("error opening file"), rendered);
        assertTrue(rendered.contains("t.cfg:8") && rendered.contains("unknown keyword 'errorloc'"), rendered);
        assertTrue(rendered.contains("t.cfg:9") && rendered.contains("already exists (declared at t.cfg:6)"),
                rendered);
    }
}
