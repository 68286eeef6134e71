package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units of deploy/systemd as install.sh installs them: systemd-analyze verify with no
 * output at all, an exposure score under the threshold, the directives the issue asks for, the
 * per-CPU generator and the launchers' JVM flags. Booting them for real: {@link NspawnBootIT}.
 */
class SystemdUnitsIT {
    /** systemd-analyze security's scale is 0-100 (exposure × 10); the units score 1.3 to 1.7. */
    private static final int EXPOSURE_THRESHOLD = 20;
    private static final Duration ANALYZE_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> UNITS = List.of("sluice.target", "sluice-balancer.service",
            "sluice-terminator.target", "sluice-terminator@.service", "sluice-vip-health.service");
    private static final List<String> SERVICES = List.of(
            "sluice-balancer.service", "sluice-terminator@0.service", "sluice-vip-health.service");

    @TempDir
    static Path installed;
    static Path unitDir;

    @BeforeAll
    static void install() {
        unitDir = Deploy.installUnder(installed);
    }

    private static ExternalProcess.Result analyze(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of("systemd-analyze"));
        command.addAll(List.of(args));
        try (ExternalProcess p = ExternalProcess.start("systemd-analyze", command, Map.of("SYSTEMD_LOG_COLOR", "0"), workDir)) {
            return new ExternalProcess.Result(p.awaitExit(ANALYZE_TIMEOUT), p.output());
        }
    }

    /** verify on the installed units and an instance of the template; any output is a finding. */
    private static ExternalProcess.Result verify(Path dir) {
        return analyze(dir, "verify", "--man=no", "./sluice.target", "./sluice-balancer.service",
                "./sluice-terminator.target", "./sluice-terminator@0.service", "./sluice-vip-health.service");
    }

    @Test
    void verifyPrintsNothing() {
        ExternalProcess.Result result = verify(unitDir);
        assertEquals(0, result.exit(), result.output());
        assertEquals("", result.output().strip(), "systemd-analyze verify printed findings");
    }

    @Test
    void verifyCatchesAMistakeSoTheCheckAboveCanFail(@TempDir Path broken) throws Exception {
        for (String unit : UNITS) {
            Files.copy(unitDir.resolve(unit), broken.resolve(unit));
        }
        Path balancer = broken.resolve("sluice-balancer.service");
        Files.writeString(balancer, Files.readString(balancer).replace("RestartSec=1s", "RestartSec=1s\nProtectSystm=strict"));
        ExternalProcess.Result result = verify(broken);
        assertTrue(result.output().contains("ProtectSystm"), "a misspelt key must be reported:\n" + result.output());
    }

    @Test
    void exposureIsUnderTheThreshold() {
        for (String service : SERVICES) {
            ExternalProcess.Result result = analyze(unitDir, "security", "--offline=true",
                    "--threshold=" + EXPOSURE_THRESHOLD, "./" + service);
            assertEquals(0, result.exit(), result.output());
            Matcher score = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(result.output());
            assertTrue(score.find(), result.output());
            double exposure = Double.parseDouble(score.group(1));
            assertTrue(exposure * 10 <= EXPOSURE_THRESHOLD, service + " exposure " + exposure);
            // MemoryDenyWriteExecute would kill the JIT: it must stay off (a ✗ in the report).
            boolean java = !service.equals("sluice-vip-health.service");
            assertEquals(java, result.output().lines().anyMatch(l -> l.startsWith("✗ MemoryDenyWriteExecute=")),
                    result.output());
        }
    }

    @Test
    void servicesCarryTheRequiredDirectives() {
        for (String service : List.of("sluice-balancer.service", "sluice-terminator@.service")) {
            Map<String, List<String>> d = Deploy.directives(unitDir.resolve(service));
            String s = "[Service]";
            assertEquals(List.of("notify"), d.get(s + "Type"), service);
            assertTrue(d.get(s + "ExecReload").contains("/bin/kill -HUP $MAINPID"), service);
            assertEquals(List.of("on-failure"), d.get(s + "Restart"), service);
            assertEquals(List.of("sluice"), d.get(s + "User"), service);
            assertEquals(List.of("CAP_NET_BIND_SERVICE"), d.get(s + "AmbientCapabilities"), service);
            assertEquals(List.of("CAP_NET_BIND_SERVICE"), d.get(s + "CapabilityBoundingSet"), service);
            for (String flag : List.of("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices")) {
                assertEquals(List.of("yes"), d.get(s + flag), service + " " + flag);
            }
            assertEquals(List.of("strict"), d.get(s + "ProtectSystem"), service);
            assertEquals(List.of("native"), d.get(s + "SystemCallArchitectures"), service);
            assertEquals(List.of("AF_INET AF_INET6 AF_UNIX"), d.get(s + "RestrictAddressFamilies"), service);
            assertTrue(Long.parseLong(d.get(s + "LimitNOFILE").getFirst()) >= 65536, service);
            assertFalse(d.containsKey(s + "MemoryDenyWriteExecute"), service + ": the JIT needs W+X pages");
            assertFalse(d.containsKey(s + "ProcSubset"), service + ": Netty reads /proc/sys/net/core/somaxconn");
        }
        Map<String, List<String>> worker = Deploy.directives(unitDir.resolve("sluice-terminator@.service"));
        assertEquals(List.of("%i"), worker.get("[Service]CPUAffinity"));
        assertTrue(worker.get("[Service]ExecStart").getFirst().endsWith("--workers=1"), worker.toString());
        assertEquals(List.of("sluice-terminator.target"), worker.get("[Unit]ReloadPropagatedFrom"));
    }

    @Test
    void generatorWantsOneWorkerPerListedCpu(@TempDir Path out) throws Exception {
        Path generator = installed.resolve("usr/lib/systemd/system-generators/sluice-terminator-generator");
        Path cpus = out.resolve("terminator-cpus");
        Files.writeString(cpus, "# keep CPU 1 for the balancer\n0,2-3\n");
        Path listed = out.resolve("listed");
        ExternalProcess.run("generator", List.of("env", "SLUICE_TERMINATOR_CPUS_FILE=" + cpus,
                generator.toString(), listed.toString(), "early", "late"), ANALYZE_TIMEOUT).assertExit(0);
        assertEquals(List.of("sluice-terminator@0.service", "sluice-terminator@2.service", "sluice-terminator@3.service"),
                wants(listed));
        Path link = listed.resolve("sluice-terminator.target.wants/sluice-terminator@2.service");
        assertEquals(unitDir.resolve("sluice-terminator@.service"), Files.readSymbolicLink(link));

        // Without the file: every CPU the generator may run on (here: the affinity it inherits).
        Path all = out.resolve("all");
        ExternalProcess.run("generator", List.of("env", "SLUICE_TERMINATOR_CPUS_FILE=" + out.resolve("absent"),
                generator.toString(), all.toString(), "early", "late"), ANALYZE_TIMEOUT).assertExit(0);
        assertEquals(Deploy.allowedCpus(), wants(all).size(), wants(all).toString());
        // The links point outside the temporary directory: remove them ourselves.
        for (Path generated : List.of(listed, all)) {
            try (Stream<Path> links = Files.list(generated.resolve("sluice-terminator.target.wants"))) {
                for (Path l : links.toList()) {
                    Files.delete(l);
                }
            }
        }
    }

    private static List<String> wants(Path generated) throws Exception {
        try (Stream<Path> links = Files.list(generated.resolve("sluice-terminator.target.wants"))) {
            return new ArrayList<>(new TreeSet<>(links.map(p -> p.getFileName().toString()).toList()));
        }
    }

    @Test
    void launchersUseTheDevelopmentLaunchersJvmFlags() {
        for (String module : List.of("terminator", "balancer")) {
            String dev = jvmOpts(Sluice.script(module));
            String installedFlags = jvmOpts(installed.resolve("usr/bin/sluice-" + module));
            assertNotEquals("", dev);
            assertEquals(dev, installedFlags, module);
        }
    }

    private static String jvmOpts(Path launcher) {
        return Deploy.lines(launcher).stream().filter(l -> l.startsWith("JVM_OPTS=(")).findFirst().orElse("");
    }
}
