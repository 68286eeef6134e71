package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.runtime.BackendPlan;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.runtime.TcpKeepAlive;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * monitor-uri, monitor fail, errorloc*, option originalto, tcp keep-alive and http-buffer-request in
 * a configuration: what the plans get, and each bad line refused at its file:line.
 */
class ProxyTuningConfigTest {

    private static final String HEAD = """
            defaults
              mode http
              timeout client 5s
              timeout server 5s
              timeout connect 1s
            """;
    private static final String FRONT = """
            frontend fe
              bind 127.0.0.1:8081
              default_backend be
            """;
    private static final String BACK = """
            backend be
              server s 127.0.0.1:8080
            """;

    private static RuntimePlan plan(String text) {
        LoadResult result = ConfigLoader.parse("t.cfg", text, Map.of());
        assertTrue(result.isValid(), result.render());
        return Compiler.compile(result.config().orElseThrow()).plan();
    }

    private static FrontendPlan front(RuntimePlan plan) {
        return plan.frontends().getFirst();
    }

    private static BackendPlan back(RuntimePlan plan) {
        return plan.backends().getFirst();
    }

    @Test
    void monitorUriAndFailConditionsReachTheFrontend() {
        RuntimePlan plan = plan(HEAD + FRONT + """
                  acl down hdr(x-down) -m found
                  monitor-uri /health
                  monitor fail if down
                  monitor fail unless { src 127.0.0.0/8 }
                """ + BACK);
        var monitor = front(plan).tuning().monitor();
        assertEquals("/health", monitor.uri());
        assertEquals(2, monitor.failIf().size());
    }

    @Test
    void monitorUriIsInheritedFromDefaultsAndAbsentOtherwise() {
        assertEquals("/ping", front(plan(HEAD + "  monitor-uri /ping\n" + FRONT + BACK)).tuning().monitor().uri());
        assertNull(front(plan(HEAD + FRONT + BACK)).tuning().monitor().uri());
    }

    @Test
    void errorlocBecomesARedirectPageAndTheLastLineWins() {
        RuntimePlan plan = plan(HEAD + FRONT + """
                  errorloc 503 http://example.com/first
                  errorloc302 503 http://example.com/sorry
                  errorloc303 502 /maint
                """ + BACK);
        Map<Integer, byte[]> pages = front(plan).errorfiles();
        assertEquals("HTTP/1.1 302 Found\r\nCache-Control: no-cache\r\nContent-length: 0\r\n"
                + "Location: http://example.com/sorry\r\n\r\n", new String(pages.get(503), StandardCharsets.ISO_8859_1));
        assertEquals("HTTP/1.1 303 See Other\r\nCache-Control: no-cache\r\nContent-length: 0\r\n"
                + "Location: /maint\r\n\r\n", new String(pages.get(502), StandardCharsets.ISO_8859_1));
    }

    @Test
    void originalToOnEitherSide() {
        RuntimePlan plan = plan(HEAD + FRONT + "  option originalto\n" + BACK
                + "  option originalto except 10.0.0.0/8 header X-Dst\n");
        var front = front(plan).tuning().originalTo();
        assertTrue(front.enabled());
        assertEquals("X-Original-To", front.header());
        assertNull(front.except());
        var back = back(plan).tuning().originalTo();
        assertEquals("X-Dst", back.header());
        assertEquals(8, back.except().prefixLength());
        assertFalse(back.ifNone());
    }

    @Test
    void keepAliveOptionsAndSettings() {
        RuntimePlan plan = plan(HEAD + """
                  option tcpka
                  clitcpka-cnt 4
                  clitcpka-idle 30
                  clitcpka-intvl 2m
                  srvtcpka-idle 1500ms
                """ + FRONT + "  no option clitcpka\n" + BACK);
        assertEquals(new TcpKeepAlive(false, 4, 30, 120), front(plan).tuning().clientKeepAlive());
        assertEquals(new TcpKeepAlive(true, 0, 2, 0), back(plan).tuning().serverKeepAlive());
        RuntimePlan server = plan(HEAD + FRONT + BACK + "  option srvtcpka\n");
        assertEquals(TcpKeepAlive.OFF, front(server).tuning().clientKeepAlive());
        assertTrue(back(server).tuning().serverKeepAlive().enabled());
    }

    @Test
    void bufferRequestCanBeSetAndNegated() {
        assertTrue(front(plan(HEAD + "  option http-buffer-request\n" + FRONT + BACK)).tuning().bufferRequest());
        assertFalse(front(plan(HEAD + "  option http-buffer-request\n" + FRONT + "  no option http-buffer-request\n"
                + BACK)).tuning().bufferRequest());
    }

    @Test
    void ignoreProbesReachesTheFrontend() {
        assertTrue(front(plan(HEAD + "  option http-ignore-probes\n" + FRONT + BACK)).tuning().ignoreProbes());
        assertFalse(front(plan(HEAD + "  option http-ignore-probes\n" + FRONT + "  no option http-ignore-probes\n"
                + BACK)).tuning().ignoreProbes());
    }

    @Test
    void pretendKeepAliveReachesTheBackend() {
        assertTrue(back(plan(HEAD + "  option http-pretend-keepalive\n" + FRONT + BACK)).tuning().pretendKeepAlive());
        assertFalse(back(plan(HEAD + FRONT + BACK)).tuning().pretendKeepAlive());
    }

    @Test
    void noDelayAndAbortOnCloseAreAccepted() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "  option http-no-delay\n  option abortonclose\n"
                + FRONT + "  no option http-no-delay\n" + BACK, Map.of());
        assertTrue(result.isValid() && result.warnings().isEmpty(), result.render());
    }

    @Test
    void serverSideSettingsInAFrontendAreIgnoredWithAWarning() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + FRONT + "  option srvtcpka\n  srvtcpka-idle 10\n"
                + BACK, Map.of());
        assertTrue(result.isValid(), result.render());
        assertEquals(2, result.warnings().size(), result.render());
        assertTrue(result.render().contains("t.cfg:9") && result.render().contains("t.cfg:10"), result.render());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "monitor-uri|'monitor-uri' expects an URI",
        "monitor fail|'monitor fail' requires either 'if' or 'unless' followed by a condition",
        "monitor fail when TRUE|'monitor fail' requires either 'if' or 'unless'",
        "monitor fail if no_such_acl|no_such_acl",
        "monitor-net 10.0.0.0/8|'monitor-net' doesn't exist anymore",
        "errorloc 999 /x|errorloc : status code '999' not handled",
        "errorloc302 503|errorloc302 : expects <status_code> and <url> as arguments",
        "clitcpka-cnt abc|clitcpka-cnt",
        "clitcpka-idle 0|'clitcpka-idle' expects a time between 1s and 32767s",
        "option originalto bogus|'option originalto' only supports optional values: 'except' and 'header'",
        "option originalto except|'option originalto except' expects <address>[/mask]",
        "option originalto header|'option originalto header' expects <header_name>",
        "option http-buffer-request foo|'option http-buffer-request' cannot handle unexpected argument 'foo'",
        "option tcpka now|'option tcpka' cannot handle unexpected argument 'now'",
        "option transparent|'option transparent' is not supported yet",
        "option http-no-delay x|'option http-no-delay' cannot handle unexpected argument 'x'",
        "no option originalto|negation is not supported for option 'originalto'",
        "option http-pretend-keepalive x|'option http-pretend-keepalive' cannot handle unexpected argument 'x'",
        "option http-ignore-probes 1|'option http-ignore-probes' cannot handle unexpected argument '1'",
    })
    void badLinesAreRefusedAtTheirLine(String line, String message) {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + FRONT + "  " + line + "\n" + BACK, Map.of());
        assertFalse(result.isValid(), line);
        String rendered = result.render();
        assertTrue(rendered.contains("t.cfg:9") && rendered.contains(message), rendered);
    }

    @Test
    void abortOnCloseIsRefusedInModeTcp() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + BACK + "  mode tcp\n  option abortonclose\n", Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:6") && result.render().contains("'option abortonclose' in mode tcp"),
                result.render());
    }

    @Test
    void noAbortOnCloseUndoesTheDefaultsOne() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD.replace("defaults\n", "defaults\n  option abortonclose\n")
                + FRONT + BACK + "  no option abortonclose\n", Map.of());
        assertTrue(result.isValid(), result.render());
        var backend = result.config().orElseThrow().proxies().stream().filter(p -> p.isBackend()).findFirst()
                .orElseThrow();
        assertFalse(backend.options().tuning().abortOnClose());
    }

    @Test
    void monitorIsRefusedInDefaults() {
        LoadResult result = ConfigLoader.parse("t.cfg", HEAD + "  monitor fail if TRUE\n" + FRONT + BACK, Map.of());
        assertFalse(result.isValid());
        assertTrue(result.render().contains("t.cfg:6"), result.render());
    }
}
