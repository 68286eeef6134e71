package dev.sluice.deploy;

import dev.sluice.testkit.ExternalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Debian system booted with systemd-nspawn for a test: private network, the cached tree
 * mounted with a throw-away overlay (--volatile=overlay), host directories bound read-only.
 * Commands run inside through nsenter on its init; {@link #close()} stops it by PID (SIGTERM asks
 * its systemd to power off; SIGKILL after {@link #POWEROFF_TIMEOUT}).
 */
final class Machine implements AutoCloseable {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(90);
    static final Duration POWEROFF_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final ExternalProcess nspawn;
    private final long leader;

    private Machine(ExternalProcess nspawn, long leader) {
        this.nspawn = nspawn;
        this.leader = leader;
    }

    /** Boots {@code tree}; {@code binds} are "HOST:CONTAINER" paths mounted read-only. */
    static Machine boot(Path tree, List<String> binds) {
        List<String> command = new ArrayList<>(List.of("systemd-nspawn", "-D", tree.toString(), "-b",
                "--private-network", "--register=no", "--keep-unit", "--console=pipe", "--volatile=overlay"));
        binds.forEach(b -> command.add("--bind-ro=" + b));
        ExternalProcess nspawn = ExternalProcess.start("systemd-nspawn", command, Map.of("SYSTEMD_LOG_COLOR", "0"), null);
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        Optional<Long> leader = Optional.empty();
        while (leader.isEmpty()) {
            if (!nspawn.alive() || System.nanoTime() > deadline) {
                String why = nspawn.describe();
                nspawn.close();
                throw new AssertionError("the container's init did not start\n" + why);
            }
            leader = nspawn.descendantPids().stream().filter(Machine::isContainerInit).findFirst();
            sleep(Duration.ofMillis(100));
        }
        Machine machine = new Machine(nspawn, leader.get());
        // Until its systemd has opened its private bus, systemctl fails to connect: ask again.
        ExternalProcess.Result booted = machine.exec(BOOT_TIMEOUT, "systemctl", "is-system-running", "--wait");
        while (booted.output().contains("Failed to connect to bus") && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            booted = machine.exec(BOOT_TIMEOUT, "systemctl", "is-system-running", "--wait");
        }
        if (!booted.output().strip().equals("running")) {
            String failed = machine.exec("systemctl", "--failed", "--no-pager").output();
            String why = "boot ended " + booted.output().strip() + "\n" + failed + "\n" + nspawn.describe();
            machine.close();
            throw new AssertionError(why);
        }
        return machine;
    }

    /** PID 1 of a new PID namespace: the last NSpid field of /proc/PID/status is 1. */
    private static boolean isContainerInit(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("NSpid:"))
                    .anyMatch(l -> l.strip().endsWith("\t1") && l.split("\\s+").length > 2);
        } catch (IOException e) {
            return false;
        }
    }

    ExternalProcess.Result exec(String... command) {
        return exec(COMMAND_TIMEOUT, command);
    }

    /** Runs {@code command} in every namespace of the container, as its root, in a clean environment. */
    ExternalProcess.Result exec(Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-a",
                "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"));
        full.addAll(List.of(command));
        return ExternalProcess.run("in container: " + String.join(" ", command), full, timeout);
    }

    /** Runs a host binary (curl…) in the container's network namespace only. */
    ExternalProcess.Result inNetwork(Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("nsenter", "-t", Long.toString(leader), "-n"));
        full.addAll(List.of(command));
        return ExternalProcess.run("in container network: " + String.join(" ", command), full, timeout);
    }

    /** {@code systemctl show -p PROPERTY --value UNIT}. */
    String property(String unit, String property) {
        return exec("systemctl", "show", "-p", property, "--value", unit).assertExit(0).output().strip();
    }

    String describe() {
        return nspawn.describe();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Powers the container off (SIGTERM to nspawn) and returns nspawn's exit status. */
    int powerOff() {
        nspawn.signal("TERM");
        return nspawn.awaitExit(POWEROFF_TIMEOUT);
    }

    @Override
    public void close() {
        nspawn.close();
    }
}
