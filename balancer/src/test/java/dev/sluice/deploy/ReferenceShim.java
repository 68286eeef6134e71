package dev.sluice.deploy;

import dev.sluice.common.os.SdNotify;
import dev.sluice.common.os.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Test stand-in that lets the reference implementation (hitch, haproxy) run under the Sluice
 * units, which are {@code Type=notify}: it starts the reference as its child, sends READY=1 once
 * a process of the child's tree listens on a TCP socket, forwards SIGHUP (RELOADING=1, then
 * READY=1), turns SIGTERM into STOPPING=1 and a SIGTERM to the child, and exits with the child's
 * status. It speaks sd_notify through Sluice's own {@link SdNotify}, as the main PID.
 * Used by deploy/test/reference/* when LAB_IMPL=reference; not shipped.
 */
public final class ReferenceShim {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final String TCP_LISTEN = "0A";

    private ReferenceShim() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ReferenceShim COMMAND [ARGS...]");
            System.exit(2);
        }
        SdNotify notify = SdNotify.fromEnvironment();
        Process child = new ProcessBuilder(args).inheritIO().start();
        Signals.on(() -> {
            notify.reloading();
            signal(child, "HUP");
            notify.ready("reloaded " + args[0]);
        }, "HUP");
        Signals.on(() -> {
            notify.stopping();
            child.destroy();
        }, "TERM", "INT");

        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!listening(child) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(POLL);
        }
        if (child.isAlive() && listening(child)) {
            notify.ready(args[0] + " listening (reference implementation)");
        } else if (child.isAlive()) {
            System.err.println("ReferenceShim: " + args[0] + " did not listen within " + READY_TIMEOUT);
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            System.exit(1);
        }
        int status = child.waitFor();
        System.exit(status == 143 ? 0 : status);
    }

    private static void signal(Process child, String name) {
        try {
            new ProcessBuilder("/bin/kill", "-" + name, Long.toString(child.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("ReferenceShim: cannot send SIG" + name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a process of the child's tree holds a TCP socket in LISTEN state. */
    private static boolean listening(Process child) {
        Set<String> inodes = new HashSet<>();
        Stream.concat(Stream.of(child.toHandle()), child.descendants()).forEach(p -> socketInodes(p.pid(), inodes));
        if (inodes.isEmpty()) {
            return false;
        }
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (Stream<String> lines = Files.lines(Path.of(table))) {
                if (lines.skip(1).map(l -> l.trim().split("\\s+"))
                        .anyMatch(f -> f.length > 9 && TCP_LISTEN.equals(f[3]) && inodes.contains(f[9]))) {
                    return true;
                }
            } catch (IOException e) {
                // no such table (IPv6 disabled): nothing listens there
            }
        }
        return false;
    }

    private static void socketInodes(long pid, Set<String> into) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        into.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed while we looked
                }
            });
        } catch (IOException e) {
            // the process exited while we looked
        }
    }
}
