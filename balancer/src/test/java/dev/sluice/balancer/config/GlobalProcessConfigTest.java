package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.ProcessSettings;
import dev.sluice.balancer.runtime.ProcessPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process keywords of {@code global} (user, group, uid, gid, chroot, pidfile, ulimit-n,
 * hard-stop-after, spread-checks, node, description, quiet), good and bad lines with their
 * file:line, and the keywords still refused with their reason.
 */
class GlobalProcessConfigTest {
    /** Line 1 is "global"; the line under test is line 2. */
    private static LoadResult load(String globalLines) {
        return GlobalSection.load(globalLines);
    }

    private static ProcessSettings settings(String globalLines) {
        LoadResult result = load(globalLines);
        assertTrue(result.isValid(), result.render());
        return result.config().orElseThrow().global().process();
    }

    private static String alert(String globalLines) {
        return GlobalSection.alert(globalLines);
    }

    private static List<String> messages(String globalLines, Diagnostic.Severity severity) {
        return load(globalLines).diagnostics().stream().filter(d -> d.severity() == severity)
                .map(Diagnostic::toString).toList();
    }

    @Test
    void nothingSetKeepsEverything() {
        ProcessSettings none = settings("    maxconn 10");
        assertEquals(ProcessSettings.DEFAULTS, none);
        assertFalse(none.dropsPrivileges());
    }

    @Test
    void userAndGroupAreLookedUpByName() {
        // Debian's haproxy package creates both; root exists everywhere.
        ProcessSettings root = settings("    user root\n    group root");
        assertEquals(0, root.uid());
        assertEquals(0, root.gid());
        assertEquals("t.cfg:3", root.identityAt().toString());
        assertTrue(root.dropsPrivileges());
        ProcessSettings haproxy = settings("    user haproxy\n    group haproxy");
        assertTrue(haproxy.uid() > 0 && haproxy.gid() > 0, haproxy.toString());
    }

    @Test
    void numericIdsNeedNoLookup() {
        ProcessSettings ids = settings("    uid 4242\n    gid 4343");
        assertEquals(4242, ids.uid());
        assertEquals(4343, ids.gid());
    }

    @Test
    void unknownUserOrGroupIsAnAlertAtItsLine() {
        String user = alert("    user no-such-user-here");
        assertTrue(user.startsWith("[ALERT] t.cfg:2: cannot find user id for 'no-such-user-here'"), user);
        String group = alert("    maxconn 5\n    group no-such-group-here");
        assertTrue(group.startsWith("[ALERT] t.cfg:3: cannot find group id for 'no-such-group-here'"), group);
        assertTrue(alert("    uid -5").startsWith("[ALERT] t.cfg:2: 'uid' expects an integer"));
        assertTrue(alert("    gid abc").startsWith("[ALERT] t.cfg:2: 'gid' expects an integer"));
        assertTrue(alert("    user").contains("'user' expects 1 argument"));
    }

    @Test
    void aSecondUserLineWarnsAndWins() {
        List<String> warnings = messages("    user root\n    uid 7", Diagnostic.Severity.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("[WARNING] t.cfg:3: user/uid already specified"), warnings.get(0));
        assertEquals(7, settings("    user root\n    uid 7").uid());
    }

    @Test
    void chrootIsWarnedAsNotAppliedAndAMissingDirectoryPassesTheCheckAsInHaproxy(@TempDir Path dir) {
        List<String> warnings = messages("    chroot " + dir, Diagnostic.Severity.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("[WARNING] t.cfg:2: 'chroot " + dir + "' accepted but NOT applied"),
                warnings.get(0));
        assertTrue(warnings.get(0).contains("ProtectSystem=strict"), warnings.get(0));
        assertEquals(dir, settings("    chroot " + dir).chroot());
        // haproxy -c accepts a chroot that does not exist; only the start fails (ProcessSetup.checkChroot).
        assertEquals(dir.resolve("absent"), settings("    chroot " + dir.resolve("absent")).chroot());
    }

    @Test
    void pidfileUlimitHardStopSpreadAndLabels() {
        ProcessSettings all = settings("""
                    pidfile /run/x.pid
                    ulimit-n 4096
                    hard-stop-after 30s
                    spread-checks 5
                    node edge-1
                    description two words
                    quiet""");
        assertEquals(Path.of("/run/x.pid"), all.pidFile());
        assertEquals(4096, all.ulimitN());
        assertEquals(Duration.ofSeconds(30), all.hardStopAfter());
        assertEquals(5, all.spreadChecks());
        assertEquals("edge-1", all.node());
        assertEquals("two words", all.description());
        assertTrue(all.quiet());
        assertEquals(Path.of("/other.pid"), all.withPidFile(Path.of("/other.pid")).pidFile());
    }

    @Test
    void hardStopAfterAndSpreadChecksReachThePlan() {
        LoadResult result = load("    hard-stop-after 2m\n    spread-checks 50");
        ProcessPlan plan = Compiler.compile(result.config().orElseThrow()).plan().global().process();
        assertEquals(new ProcessPlan(Duration.ofMinutes(2), 50), plan);
        assertEquals(120_000, plan.limitMillis(5));
        assertEquals(5, ProcessPlan.DEFAULTS.limitMillis(5));
    }

    @Test
    void badProcessValuesAreAlertsAtTheirLines() {
        assertTrue(alert("    spread-checks 51").startsWith("[ALERT] t.cfg:2: 'spread-checks' must be "
                + "between 0 and 50 (got 51)"));
        assertTrue(alert("    ulimit-n 0").startsWith("[ALERT] t.cfg:2: 'ulimit-n' must be between 1"));
        assertTrue(alert("    hard-stop-after 10x").startsWith("[ALERT] t.cfg:2: unexpected character 'x'"));
        assertTrue(alert("    quiet please").contains("'quiet' cannot handle unexpected argument 'please'"));
        assertTrue(alert("    node").contains("'node' expects 1 argument"));
        assertTrue(alert("    description").contains("'description' expects at least 1 argument"));
    }

    @Test
    void aSecondPidfileWarns() {
        List<String> warnings = messages("    pidfile /a\n    pidfile /b", Diagnostic.Severity.WARNING);
        assertEquals(List.of("[WARNING] t.cfg:3: 'pidfile' already specified; '/b' replaces it"), warnings);
    }

    @Test
    void theKeywordsStillRefusedSayWhy() {
        assertTrue(alert("    nbproc 2").contains("HAProxy 2.5 removed it"));
        assertTrue(alert("    master-worker").contains("not supported yet"));
    }

    @Test
    void processSettingsValidateTheirValues() {
        assertFalse(ProcessSettings.DEFAULTS.dropsPrivileges());
        assertThrows("spread-checks", () -> new ProcessSettings(-1, -1, null, null, null, 0, null, 51, null, null,
                false));
        assertThrows("uid/gid", () -> new ProcessSettings(-2, -1, null, null, null, 0, null, 0, null, null, false));
        assertThrows("identityAt", () -> new ProcessSettings(5, -1, null, null, null, 0, null, 0, null, null, false));
        assertThrows("hardStopAfter", () -> new ProcessPlan(Duration.ofSeconds(-1), 0));
        assertNull(ProcessSettings.DEFAULTS.pidFile());
    }

    private static void assertThrows(String expected, Runnable build) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                build::run);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void aStatsSocketAloneIsAListenerAsInHaproxy() {
        LoadResult socketOnly = ConfigLoader.parse("t.cfg", "global\n    stats socket /run/x.sock\n", Map.of());
        assertTrue(socketOnly.isValid(), socketOnly.render());
        LoadResult nothing = ConfigLoader.parse("t.cfg", "global\n    maxconn 5\n", Map.of());
        assertTrue(nothing.render().contains("no listener"), nothing.render());
    }

    @Test
    void pidFileDirectoryNeedNotExistAtCheckTime(@TempDir Path dir) throws Exception {
        // HAProxy writes it at start, not while checking: -c must not touch it.
        Path file = dir.resolve("later/x.pid");
        assertEquals(file, settings("    pidfile " + file).pidFile());
        assertFalse(Files.exists(file));
    }
}
