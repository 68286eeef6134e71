package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.GlobalStats;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keywords the sweep of real configurations added (issue 6): default-path, zero-warning,
 * strict-limits, grace, stats socket owners and expose-fd, source, a server's '*' address,
 * spelled-out timeout units, alpn without ssl and stats show-modules; good lines and bad ones
 * with their file:line.
 */
class SweepKeywordsConfigTest {

    private static final String PROXIES = """
            defaults
                mode http
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            """;

    /** Parses {@code text} followed by a frontend, so that there is something to listen. */
    private static LoadResult parse(String text) {
        return ConfigLoader.parse("t.cfg", text + "frontend zz\n    bind 127.0.0.1:18999\n"
                + "    http-request return status 200\n", Map.of());
    }

    private static List<String> alerts(LoadResult result) {
        return result.alerts().stream().map(Diagnostic::toString).toList();
    }

    private static String messages(LoadResult result, Diagnostic.Severity severity) {
        return result.diagnostics().stream().filter(d -> d.severity() == severity).map(Diagnostic::toString).toList()
                .toString();
    }

    private static Proxy proxy(LoadResult result, String name) {
        assertTrue(result.isValid(), result.render());
        return result.config().orElseThrow().proxies().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow();
    }

    private static Server server(LoadResult result, String backend, String name) {
        return proxy(result, backend).servers().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void defaultPathConfigReadsFilesBesideTheConfiguration(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("etc/errors"));
        Files.writeString(sub.resolve("503.http"), "HTTP/1.0 503 Service Unavailable\r\n\r\ndown\n");
        Files.writeString(dir.resolve("etc/blocked.lst"), "192.0.2.0/24\n");
        String proxies = PROXIES + """
                    errorfile 503 errors/503.http
                frontend f
                    bind 127.0.0.1:8080
                    http-request deny if { src -f blocked.lst }
                    http-request return status 200
                """;
        Path cfg = Files.writeString(dir.resolve("etc/t.cfg"), "global\n    default-path config\n" + proxies);
        LoadResult loaded = ConfigLoader.load(List.of(cfg), Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        assertEquals(dir.resolve("etc").toAbsolutePath(), loaded.config().orElseThrow().global().extras()
                .baseDirectory());
        assertEquals(sub.resolve("503.http").toAbsolutePath(), proxy(loaded, "f").errorFiles().get(503).path());
        // Without it the same names are looked for in the working directory, and are not there.
        Path plain = Files.writeString(dir.resolve("etc/plain.cfg"), "global\n" + proxies);
        assertFalse(ConfigLoader.load(List.of(plain), Map.of()).isValid());
        // parent: one directory up; origin: the path given.
        Files.createDirectories(dir.resolve("conf"));
        Path parent = Files.writeString(dir.resolve("conf/p.cfg"), "global\n    default-path parent\n"
                + proxies.replace("errors/503.http", "etc/errors/503.http").replace("blocked.lst", "etc/blocked.lst"));
        assertTrue(ConfigLoader.load(List.of(parent), Map.of()).isValid());
        Path origin = Files.writeString(dir.resolve("conf/o.cfg"), "global\n    default-path origin "
                + dir.resolve("etc") + "\n" + proxies);
        assertTrue(ConfigLoader.load(List.of(origin), Map.of()).isValid());
    }

    @Test
    void defaultPathConfigWithFilesInTwoDirectoriesIsRefusedAtTheSecondFile(@TempDir Path dir) throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path first = Files.writeString(a.resolve("1.cfg"), "global\n    default-path config\n");
        Path second = Files.writeString(b.resolve("2.cfg"), PROXIES + "frontend f\n    bind :8080\n"
                + "    http-request return status 200\n");
        LoadResult refused = ConfigLoader.load(List.of(first, second), Map.of());
        assertEquals(1, refused.alerts().size(), refused.render());
        assertTrue(refused.alerts().get(0).toString().startsWith("[ALERT] " + second + ":1: 'default-path config' ("
                + first + ":2) with files in several directories is not supported yet"), refused.render());
        Path beside = Files.writeString(a.resolve("2.cfg"), Files.readString(second));
        assertTrue(ConfigLoader.load(List.of(first, beside), Map.of()).isValid());
    }

    @Test
    void defaultPathRefusals() {
        assertEquals(List.of("[ALERT] t.cfg:2: 'default-path' expects 'current', 'config', 'parent' or 'origin' "
                + "(got 'here')"), alerts(parse("global\n    default-path here\n" + PROXIES)));
        assertEquals(List.of("[ALERT] t.cfg:2: 'default-path origin' expects a path"),
                alerts(parse("global\n    default-path origin\n" + PROXIES)));
        assertEquals(List.of("[ALERT] t.cfg:2: 'default-path config' takes no path (got '/x')"),
                alerts(parse("global\n    default-path config /x\n" + PROXIES)));
        List<String> late = alerts(parse(PROXIES + "global\n    default-path origin /tmp\n"));
        assertEquals(1, late.size(), late.toString());
        assertTrue(late.get(0).startsWith("[ALERT] t.cfg:7: 'default-path' after a proxy section is not supported "
                + "yet"), late.get(0));
        List<String> twice = alerts(parse("global\n    default-path origin /tmp\n    default-path origin /var\n"
                + PROXIES));
        assertTrue(twice.get(0).startsWith("[ALERT] t.cfg:3: 'default-path' names another directory than the one "
                + "at t.cfg:2"), twice.toString());
    }

    @Test
    void zeroWarningRefusesAConfigurationWithAWarningOnly() {
        String warned = "global\n    zero-warning\n" + PROXIES + "frontend f\n    bind :8080\n    cookie X insert\n"
                + "    http-request return status 200\n";
        LoadResult refused = parse(warned);
        assertFalse(refused.isValid());
        assertTrue(messages(refused, Diagnostic.Severity.WARNING).contains("t.cfg:10: 'cookie' ignored"),
                refused.render());
        assertEquals(List.of("[ALERT] config: Some warnings were found and 'zero-warning' is set. Aborting."),
                alerts(refused));
        assertTrue(parse(warned.replace("    zero-warning\n", "")).isValid());
        assertTrue(parse("global\n    zero-warning\n" + PROXIES + "frontend f\n    bind :8080\n"
                + "    http-request return status 200\n").isValid());
    }

    @Test
    void strictLimitsAndGraceAreProcessSettings() {
        var process = GlobalSection.settings("    strict-limits\n    grace 2s", Map.of());
        assertTrue(process.policy().strictLimits());
        assertEquals(Duration.ofSeconds(2), process.policy().grace());
        assertEquals(Duration.ZERO, GlobalSection.settings("    maxconn 10", Map.of()).policy().grace());
        assertFalse(GlobalSection.settings("    strict-limits\n    no strict-limits", Map.of()).policy().strictLimits());
        assertEquals("[ALERT] t.cfg:2: 'no daemon' is not supported in 'global' section (expected: 'no strict-limits')",
                GlobalSection.alert("    no daemon"));
        assertEquals("[ALERT] t.cfg:2: unexpected character 'x' in time '2x' (expected a number with an optional "
                + "unit: us, ms, s, m, h, d)", GlobalSection.alert("    grace 2x"));
        assertEquals("[ALERT] t.cfg:2: 'strict-limits' cannot handle unexpected argument 'yes'",
                GlobalSection.alert("    strict-limits yes"));
        // The proxies' grace is gone since 2.5, as HAProxy 2.6 says.
        List<String> proxyGrace = alerts(parse(PROXIES + "    grace 1s\n"));
        assertTrue(proxyGrace.get(0).startsWith("[ALERT] t.cfg:6: 'grace' is not supported any more since HAProxy "
                + "version 2.5"), proxyGrace.toString());
    }

    @Test
    void statsSocketOwnerAndExposeFd() {
        LoadResult loaded = GlobalSection.load("    stats socket /tmp/s.sock user root group root mode 660 level "
                + "operator expose-fd listeners\n    stats socket /tmp/t.sock uid 7 gid 8");
        assertTrue(loaded.isValid(), loaded.render());
        List<GlobalStats.Socket> sockets = loaded.config().orElseThrow().global().stats().sockets();
        assertEquals(new GlobalStats.Owner(0, 0), sockets.get(0).owner());
        assertEquals(0660, sockets.get(0).mode());
        assertEquals("operator", sockets.get(0).level());
        assertEquals(new GlobalStats.Owner(7, 8), sockets.get(1).owner());
        assertTrue(messages(loaded, Diagnostic.Severity.NOTICE).contains("[NOTICE] t.cfg:2: 'expose-fd listeners' "
                + "accepted"), loaded.render());
        assertEquals("[ALERT] t.cfg:2: 'stats socket': unknown user 'no-such-user-here'",
                GlobalSection.alert("    stats socket /tmp/s.sock user no-such-user-here"));
        assertEquals("[ALERT] t.cfg:2: 'stats socket': 'expose-fd' only supports 'listeners' (got 'all')",
                GlobalSection.alert("    stats socket /tmp/s.sock expose-fd all"));
        assertEquals("[ALERT] t.cfg:2: 'stats socket': 'group' needs a value",
                GlobalSection.alert("    stats socket /tmp/s.sock group"));
    }

    @Test
    void sourceOfBackendDefaultServerAndServer() {
        LoadResult loaded = parse(PROXIES + """
                backend b
                    source 127.0.0.2
                    server own 127.0.0.1:80 source 127.0.0.3:4000
                    server inherits 127.0.0.1:81
                backend c
                    default-server source [::1]
                    server d 127.0.0.1:82
                """);
        assertEquals(new InetSocketAddress("127.0.0.3", 4000), server(loaded, "b", "own").options().source().local());
        assertEquals(new InetSocketAddress("127.0.0.2", 0), server(loaded, "b", "inherits").options().source()
                .local());
        assertEquals(new InetSocketAddress("::1", 0), server(loaded, "c", "d").options().source().local());
        assertFalse(server(parse(PROXIES + "backend e\n    server s 127.0.0.1:80\n"), "e", "s").options().source()
                .isSet());
    }

    @Test
    void sourceRefusals() {
        List<String> usesrc = alerts(parse(PROXIES + "backend b\n    source 0.0.0.0 usesrc clientip\n"));
        assertTrue(usesrc.get(0).startsWith("[ALERT] t.cfg:7: 'source': 'usesrc' is not supported yet (sluice-balancer "
                + "does not connect from the client's address"), usesrc.toString());
        List<String> range = alerts(parse(PROXIES + "backend b\n    server s 127.0.0.1:80 source 127.0.0.2:2000-2010\n"));
        assertTrue(range.get(0).contains("t.cfg:7") && range.get(0).contains("a port range ('2000-2010') is not "
                + "supported yet"), range.toString());
        List<String> name = alerts(parse(PROXIES + "backend b\n    source somehost\n"));
        assertTrue(name.get(0).startsWith("[ALERT] t.cfg:7: 'source': invalid address 'somehost'"), name.toString());
        List<String> frontend = alerts(parse(PROXIES + "frontend f\n    bind :8080\n    source 127.0.0.1\n"
                + "    http-request return status 200\n"));
        assertTrue(frontend.isEmpty(), "a frontend ignores it with a warning, as HAProxy does: " + frontend);
    }

    @Test
    void aServerAtTheWildcardAddressIsTheLocalHost() {
        LoadResult loaded = parse(PROXIES + "backend b\n    server s *:80\n    server t :81\n");
        assertEquals("127.0.0.1", server(loaded, "b", "s").address().address().getHostAddress());
        assertEquals(81, server(loaded, "b", "t").address().port());
    }

    @Test
    void aSpelledOutTimeoutUnitIsReadWithHaproxysWarningAndGarbageIsStillRefused() {
        LoadResult loaded = parse(PROXIES + "    timeout client 15min\n    timeout server 2secs\n"
                + "frontend f\n    bind :8080\n    http-request return status 200\n");
        assertTrue(loaded.isValid(), loaded.render());
        assertTrue(messages(loaded, Diagnostic.Severity.WARNING).contains("[WARNING] t.cfg:6: unexpected character "
                + "'i' after the timer value '15min'"), loaded.render());
        assertEquals(Duration.ofMinutes(15), proxy(loaded, "f").timeouts().get(dev.sluice.balancer.config.model.TimeoutKind.CLIENT).orElseThrow());
        List<String> garbage = alerts(parse(PROXIES + "    timeout client 1ms2\n"));
        assertEquals(List.of("[ALERT] t.cfg:6: unexpected character '2' in time '1ms2' (expected a number with an "
                + "optional unit: us, ms, s, m, h, d)"), garbage);
    }

    @Test
    void logSendHostnameTakesANameOrTheSystemsOne() {
        assertEquals("edge-7", GlobalSection.load("    log-send-hostname edge-7").config().orElseThrow().global()
                .extras().logHostname());
        assertEquals(dev.sluice.balancer.stats.ProcessInfo.hostName(), GlobalSection.load("    log-send-hostname")
                .config().orElseThrow().global().extras().logHostname());
        assertEquals(null, GlobalSection.load("    maxconn 10").config().orElseThrow().global().extras().logHostname());
        assertEquals("[ALERT] t.cfg:2: 'log-send-hostname' cannot handle unexpected argument 'b'",
                GlobalSection.alert("    log-send-hostname a b"));
    }

    @Test
    void idleCloseOnResponseIsAFrontendOptionInheritedFromDefaults() {
        LoadResult loaded = parse(PROXIES + "    option idle-close-on-response\nfrontend f\n    bind :8080\n"
                + "    http-request return status 200\nfrontend g\n    bind :8081\n    no option idle-close-on-response\n"
                + "    http-request return status 200\n");
        assertTrue(proxy(loaded, "f").options().tuning().idleCloseOnResponse());
        assertFalse(proxy(loaded, "g").options().tuning().idleCloseOnResponse());
        List<String> extra = alerts(parse(PROXIES + "    option idle-close-on-response now\n"));
        assertEquals(1, extra.size(), extra.toString());
        assertTrue(extra.get(0).startsWith("[ALERT] t.cfg:6:"), extra.toString());
    }

    @Test
    void alpnWithoutSslAndStatsShowModulesAreAcceptedWithANotice() {
        LoadResult loaded = parse(PROXIES + "frontend f\n    bind :8080 alpn h2,http/1.1\n    stats uri /\n"
                + "    stats show-modules\n");
        assertTrue(loaded.isValid(), loaded.render());
        String notices = messages(loaded, Diagnostic.Severity.NOTICE);
        assertTrue(notices.contains("[NOTICE] t.cfg:7: 'bind :8080': 'alpn h2,http/1.1' accepted: without 'ssl'"),
                notices);
        assertTrue(notices.contains("[NOTICE] t.cfg:9: 'stats show-modules' accepted"), notices);
        assertTrue(alerts(parse(PROXIES + "frontend f\n    bind :8443 alpn h2 ssl crt x.pem\n")).get(0)
                .contains("'ssl' is refused"));
    }
}
