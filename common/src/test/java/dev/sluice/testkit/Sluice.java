package dev.sluice.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the repository is and how to start our binaries through their launchers. */
public final class Sluice {
    private Sluice() {
    }

    /** The repository root: {@code SLUICE_ROOT} (set by the build), else found upwards from here. */
    public static Path root() {
        String fromEnv = System.getenv("SLUICE_ROOT");
        if (fromEnv != null && Files.isRegularFile(Path.of(fromEnv, "pom.xml"))) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("scripts")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("cannot find the Sluice repository root; set SLUICE_ROOT");
    }

    public static Path script(String name) {
        return root().resolve("scripts").resolve(name);
    }

    /** The command line that runs {@code scripts/NAME ARGS…}. */
    public static List<String> command(String script, String... args) {
        List<String> command = new ArrayList<>();
        command.add(script(script).toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code scripts/terminator ARGS…}. */
    public static ExternalProcess terminator(String... args) {
        return ExternalProcess.start("terminator", command("terminator", args));
    }

    /** Starts {@code scripts/balancer ARGS…}. */
    public static ExternalProcess balancer(String... args) {
        return ExternalProcess.start("balancer", command("balancer", args));
    }

    /** The path of a Debian peer's binary (haproxy, hitch, nginx…); fails if it is not installed. */
    public static String tool(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin", "/sbin", "/bin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new AssertionError(name + " is not installed: run scripts/test, which installs the test peers");
    }
}
