package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The node image end to end through Testcontainers' API ({@link ContainerChain}): a Docker engine
 * started by deploy/container/engine.sh inside a network namespace of its own (never on the host's
 * network), the image built locally by deploy/container/build.sh (FROM scratch, no registry), then
 * a second JVM inside that namespace ({@code nsenter --net=…}, where the published ports are
 * reachable) runs ContainerChain with {@link NamespaceLauncher}, talking to the engine through
 * DOCKER_HOST with Ryuk disabled (the test removes its own containers). The engine, its namespace
 * and the JVM are stopped and removed by this test, by PID. Skipped, saying so, only where no
 * engine can run (engine.sh exits 3). Always the Sluice image: the reference implementation's run
 * of the same image is NodeImageIT's (LAB_IMPL=reference), since haproxy does not reload on SIGHUP.
 */
class NodeImageContainersIT {
    private static final int NO_ENGINE = 3;
    private static final Duration ENGINE_LIMIT = Duration.ofSeconds(90);
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(3);
    private static final Duration CHAIN_LIMIT = Duration.ofMinutes(4);

    @Test
    void testcontainersRunTheNodeWithBackendsEndToEnd() throws IOException {
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "sluice-containers-");
        Path engineDir = work.resolve("engine");
        Path engineScript = Deploy.dir().resolve("container/engine.sh");
        try {
            ExternalProcess.Result started = ExternalProcess.run("engine.sh",
                    List.of(engineScript.toString(), "start", engineDir.toString()), ENGINE_LIMIT);
            Assumptions.assumeTrue(started.exit() != NO_ENGINE, started.output());
            assertEquals(0, started.exit(), started.output());
            String netns = field(started.output(), "netns");
            String socket = field(started.output(), "socket");

            String tag = "sluice-node:containers-" + ProcessHandle.current().pid();
            try (ExternalProcess build = ExternalProcess.start("build.sh",
                    List.of(Deploy.dir().resolve("container/build.sh").toString(), work.resolve("context").toString(), tag),
                    Map.of("DOCKER_HOST", socket), null)) {
                assertEquals(0, build.awaitExit(BUILD_LIMIT), build.output());
            }

            List<String> jvm = List.of("nsenter", "--net=/run/netns/" + netns,
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-D" + ContainerChain.IMAGE_PROPERTY + "=" + tag,
                    "-cp", System.getProperty("java.class.path"),
                    NamespaceLauncher.class.getName(), ContainerChain.class.getName());
            Map<String, String> env = Map.of("DOCKER_HOST", socket,
                    // No Ryuk (it would need a registry image): ContainerChain removes what it starts.
                    "TESTCONTAINERS_RYUK_DISABLED", "true",
                    // Published ports are reached on this namespace's loopback, whatever /.dockerenv suggests.
                    "TESTCONTAINERS_HOST_OVERRIDE", "localhost",
                    // Start-up checks would run an image from a registry.
                    "TESTCONTAINERS_CHECKS_DISABLE", "true");
            try (ExternalProcess chain = ExternalProcess.start("container-chain", jvm, env, work)) {
                int exit = chain.awaitExit(CHAIN_LIMIT);
                String out = chain.output();
                assertEquals(0, exit, "ContainerChain inside namespace " + netns + " failed:\n" + out);
                assertTrue(out.contains(NamespaceLauncher.SUMMARY_PREFIX + " found=1 succeeded=1 failed=0"), out);
                assertTrue(out.contains("container-chain: RESULT ok"), out);
            }
        } finally {
            ExternalProcess.run("engine.sh", List.of(engineScript.toString(), "stop", engineDir.toString()), ENGINE_LIMIT)
                    .assertExit(0);
            deleteTree(work);
        }
    }

    /** The value of an "engine: NAME=VALUE" line of engine.sh's output. */
    private static String field(String output, String name) {
        Optional<String> value = output.lines().filter(l -> l.startsWith("engine: " + name + "="))
                .map(l -> l.substring(("engine: " + name + "=").length())).findFirst();
        return value.orElseThrow(() -> new AssertionError("engine.sh printed no " + name + ":\n" + output));
    }

    private static void deleteTree(Path dir) {
        ExternalProcess.run("rm", List.of("rm", "-rf", "--one-file-system", dir.toString()), Duration.ofSeconds(60))
                .assertExit(0);
    }
}
