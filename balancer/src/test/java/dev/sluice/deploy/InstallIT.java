package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/install.sh into a staging tree (DESTDIR), as a package build would: the layout, files
 * that name the final paths and never the staging directory, launchers that start the binaries,
 * and a second run that keeps an operator's configuration.
 */
class InstallIT {
    private static final List<String> EXPECTED = List.of(
            "usr/bin/sluice-terminator", "usr/bin/sluice-balancer",
            "usr/lib/sluice/terminator/sluice-terminator.jar", "usr/lib/sluice/balancer/sluice-balancer.jar",
            "usr/lib/sluice/sluice-vip-health",
            "usr/lib/systemd/system/sluice.target", "usr/lib/systemd/system/sluice-balancer.service",
            "usr/lib/systemd/system/sluice-terminator.target", "usr/lib/systemd/system/sluice-terminator@.service",
            "usr/lib/systemd/system/sluice-vip-health.service",
            "usr/lib/systemd/system-generators/sluice-terminator-generator",
            "usr/lib/sysusers.d/sluice.conf", "usr/lib/tmpfiles.d/sluice.conf", "usr/lib/sysctl.d/99-sluice.conf",
            "usr/share/doc/sluice/README.md", "usr/share/doc/sluice/ecmp/bird-router.conf",
            "usr/share/doc/sluice/ecmp/bird-node.conf", "usr/share/doc/sluice/examples/99-sluice-router.conf",
            "etc/sluice/terminator.conf", "etc/sluice/balancer.cfg", "etc/default/sluice-terminator",
            "etc/default/sluice-balancer");

    private static ExternalProcess.Result install(Path destdir) {
        return ExternalProcess.run("install.sh", List.of("env", "DESTDIR=" + destdir,
                Deploy.dir().resolve("install.sh").toString()), Deploy.INSTALL_TIMEOUT).assertExit(0);
    }

    @Test
    void stagesTheLayoutWithFinalPaths(@TempDir Path destdir) throws Exception {
        install(destdir);
        for (String path : EXPECTED) {
            assertTrue(Files.isRegularFile(destdir.resolve(path)), path + " missing");
        }
        for (String exe : List.of("usr/bin/sluice-terminator", "usr/bin/sluice-balancer", "usr/lib/sluice/sluice-vip-health",
                                  "usr/lib/systemd/system-generators/sluice-terminator-generator")) {
            assertTrue(Files.isExecutable(destdir.resolve(exe)), exe + " not executable");
        }
        assertTrue(Files.isDirectory(destdir.resolve("usr/lib/sluice/balancer/lib")));
        try (Stream<Path> files = Files.walk(destdir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".jar")).toList()) {
                assertFalse(Files.readString(file).contains(destdir.toString()), file + " names the staging directory");
            }
        }
        String launcher = Files.readString(destdir.resolve("usr/bin/sluice-terminator"));
        assertTrue(launcher.contains("lib=\"/usr/lib/sluice/terminator\""), launcher);
    }

    @Test
    void launcherRunsTheInstalledBinary(@TempDir Path root) {
        // PREFIX under the temporary directory, so the launcher's paths exist as written.
        Deploy.installUnder(root);
        ExternalProcess.Result version = ExternalProcess.run("sluice-balancer --version",
                List.of(root.resolve("usr/bin/sluice-balancer").toString(), "--version"), Duration.ofSeconds(60));
        assertEquals(0, version.exit(), version.output());
        assertTrue(version.output().startsWith("sluice-balancer "), version.output());
    }

    @Test
    void secondRunKeepsTheOperatorsConfiguration(@TempDir Path destdir) throws Exception {
        install(destdir);
        Path cfg = destdir.resolve("etc/sluice/balancer.cfg");
        Files.writeString(cfg, "# the operator's own\n");
        ExternalProcess.Result again = install(destdir);
        assertTrue(again.output().contains("kept " + cfg), again.output());
        assertEquals("# the operator's own\n", Files.readString(cfg));
        assertEquals(Files.readString(Deploy.dir().resolve("etc/balancer.cfg")),
                Files.readString(destdir.resolve("usr/share/doc/sluice/examples/balancer.cfg")));
    }
}
