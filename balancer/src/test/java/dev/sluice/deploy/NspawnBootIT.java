package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The units booted for real: a minimal Debian under systemd-nspawn (built once by
 * deploy/test/nspawn-rootfs.sh and cached), Sluice installed in it by deploy/install.sh, then
 * start (active once READY=1 arrived, one worker per CPU, each pinned), the whole chain over TLS,
 * reload (same PIDs; a bad balancer configuration is refused and the old one keeps serving),
 * kill -9 of a main PID (restarted by Restart=on-failure), the health-driven VIP announcement
 * through BIRD, stop, power-off.
 * {@link LabImpl} chooses what runs behind the units.
 */
class NspawnBootIT {
    private static final Duration ROOTFS_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CURL_TIMEOUT = Duration.ofSeconds(15);
    private static final String JDK = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final String SRC = "/opt/sluice-src";
    private static final String FILES = "/opt/sluice-test";
    private static final String BODY = "sluice-nspawn-ok";
    private static final String BALANCER = "sluice-balancer.service";
    private static final String VIP = "198.18.0.10";
    private static final Duration ANNOUNCE_TIMEOUT = Duration.ofSeconds(20);

    @Test
    void unitsStartReloadRestartAndStopInABootedSystem(@TempDir Path files) throws Exception {
        Path tree = rootfs();
        prepareFiles(files);
        try (Machine m = Machine.boot(tree, List.of(JDK, Sluice.root() + ":" + SRC, files + ":" + FILES))) {
            install(m);

            ExternalProcess.Result started = m.exec(START_TIMEOUT, "systemctl", "start", "sluice.target");
            assertEquals(0, started.exit(), started.output() + "\n" + status(m) + "\n" + journal(m));
            List<String> workers = workers(m);
            assertEquals(Deploy.allowedCpus(), workers.size(), "one worker per CPU: " + workers);
            Map<String, String> pids = mainPids(m, workers);
            for (String unit : pids.keySet()) {
                assertEquals("active", m.property(unit, "ActiveState"), unit + "\n" + status(m));
            }
            for (String worker : workers) {
                String cpu = worker.substring(worker.indexOf('@') + 1, worker.indexOf('.'));
                assertEquals(cpu, cpusAllowed(m, pids.get(worker)), worker + " must be pinned to CPU " + cpu);
            }
            assertServes(m);

            // Reload: every worker (propagated from the target) and the balancer, in place.
            m.exec("systemctl", "reload", "sluice-terminator.target").assertExit(0);
            m.exec("systemctl", "reload", BALANCER).assertExit(0);
            assertEquals(pids, mainPids(m, workers), "a reload keeps the processes");
            for (String unit : pids.keySet()) {
                assertEquals("active", m.property(unit, "ActiveState"), unit);
                assertTrue(m.exec("journalctl", "--no-pager", "-u", unit).output().contains("Reloaded"), unit);
            }
            assertServes(m);

            // A configuration that does not check is refused by ExecReload's -c; the old one serves on.
            m.exec("cp", FILES + "/broken.cfg", "/etc/sluice/balancer.cfg").assertExit(0);
            assertNotEquals(0, m.exec("systemctl", "reload", BALANCER).exit());
            assertEquals("active", m.property(BALANCER, "ActiveState"));
            assertEquals(pids.get(BALANCER), m.property(BALANCER, "MainPID"));
            assertServes(m);
            m.exec("cp", FILES + "/balancer.cfg", "/etc/sluice/balancer.cfg").assertExit(0);

            // kill -9 of a main PID: systemd restarts the unit (Restart=on-failure), the rest serve on.
            for (String unit : List.of(workers.getFirst(), BALANCER)) {
                m.exec("bash", "-c", "kill -9 " + pids.get(unit)).assertExit(0);
                awaitRestarted(m, unit, pids.get(unit));
            }
            assertServes(m);

            announcesTheVipOnlyWhileHealthy(m);

            m.exec(START_TIMEOUT, "systemctl", "stop", "sluice.target").assertExit(0);
            awaitAllInactive(m, pids.keySet());
            assertEquals("", m.exec("pgrep", "-u", "sluice").output().strip(), "processes of user sluice remain");
            assertNotEquals(0, curl(m).exit(), "nothing may answer after stop");

            assertEquals(0, m.powerOff(), m.describe());
        }
    }

    /**
     * sluice-vip-health.service under its sandbox (DynamicUser in BIRD's group) with BIRD running
     * deploy/ecmp/bird-node.conf: the VIP's static protocol comes up once both services answer,
     * goes down when the balancer stops, up again when it is back, and down when the unit stops.
     */
    private static void announcesTheVipOnlyWhileHealthy(Machine m) {
        m.exec("ip", "addr", "add", VIP + "/32", "dev", "lo").assertExit(0);
        m.exec("cp", FILES + "/bird.conf", "/etc/bird/bird.conf").assertExit(0);
        m.exec("systemctl", "restart", "bird.service").assertExit(0);
        m.exec("cp", FILES + "/sluice-vip-health", "/etc/default/sluice-vip-health").assertExit(0);
        m.exec("systemctl", "start", "sluice-vip-health.service").assertExit(0);
        awaitVip(m, "up");
        m.exec(START_TIMEOUT, "systemctl", "stop", BALANCER).assertExit(0);
        awaitVip(m, "down");
        m.exec(START_TIMEOUT, "systemctl", "start", BALANCER).assertExit(0);
        awaitVip(m, "up");
        m.exec("systemctl", "stop", "sluice-vip-health.service").assertExit(0);
        awaitVip(m, "down");
        String journal = m.exec("journalctl", "--no-pager", "-u", "sluice-vip-health.service").output();
        assertTrue(journal.contains("unhealthy (balancer 127.0.0.1:8080 refused): withdrew"), journal);
    }

    /** Waits until BIRD's "vip" protocol is in {@code state} (up: announced, down: withdrawn). */
    private static void awaitVip(Machine m, String state) {
        long deadline = System.nanoTime() + ANNOUNCE_TIMEOUT.toNanos();
        String shown = "";
        while (System.nanoTime() < deadline) {
            shown = m.exec("birdc", "show", "protocols", "vip").output();
            if (shown.lines().anyMatch(l -> l.startsWith("vip ") && l.split("\\s+").length > 3
                    && l.split("\\s+")[3].equals(state))) {
                return;
            }
            Machine.sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("vip not " + state + " within " + ANNOUNCE_TIMEOUT + ":\n" + shown + "\n"
                + m.exec("journalctl", "--no-pager", "-u", "sluice-vip-health.service", "-u", "bird.service").output());
    }

    private static Path rootfs() {
        ExternalProcess.Result built = ExternalProcess.run("nspawn-rootfs",
                List.of(Deploy.dir().resolve("test/nspawn-rootfs.sh").toString()), ROOTFS_TIMEOUT).assertExit(0);
        List<String> lines = built.output().lines().filter(l -> !l.isBlank()).toList();
        return Path.of(lines.getLast().strip());
    }

    /** The certificate, the configurations and the backend's page, bound read-only into the machine. */
    private static void prepareFiles(Path files) throws Exception {
        Path key = files.resolve("key.pem");
        Path cert = files.resolve("cert.pem");
        ExternalProcess.run("openssl", List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"),
                Duration.ofSeconds(30)).assertExit(0);
        Files.writeString(files.resolve("site.pem"), Files.readString(key) + Files.readString(cert));
        String balancer = """
                global
                    maxconn 4000
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    option forwardfor
                frontend edge
                    bind 127.0.0.1:8080 accept-proxy
                    default_backend app
                backend app
                    balance roundrobin
                    server app1 127.0.0.1:8081
                """;
        Files.writeString(files.resolve("balancer.cfg"), balancer);
        Files.writeString(files.resolve("broken.cfg"), balancer.replace("balance roundrobin", "balance no-such-algorithm"));
        String bird = Files.readString(Deploy.dir().resolve("ecmp/bird-node.conf"))
                .replace("@NODE_ID@", VIP).replace("@NODE_AS@", "65001").replace("@ROUTER_ADDR@", "198.18.0.1")
                .replace("@ROUTER_AS@", "65000").replace("@VIP_NET@", VIP + "/32");
        Files.writeString(files.resolve("bird.conf"), bird);
        Files.writeString(files.resolve("sluice-vip-health"), "SLUICE_VIP_HEALTH_OPTS=--vip " + VIP
                + " --balancer 127.0.0.1:8080 --bird-socket /run/bird/bird.ctl --interval 0.5 --rise 2 --fall 2\n");
        Files.createDirectories(files.resolve("www"));
        Files.writeString(files.resolve("www/index.html"), BODY + "\n");
        for (Path p : List.of(files, files.resolve("www"))) {
            p.toFile().setExecutable(true, false);
            p.toFile().setReadable(true, false);
        }
        try (var all = Files.walk(files)) {
            all.forEach(p -> p.toFile().setReadable(true, false));
        }
    }

    /** install.sh inside the machine, the stand-ins when LAB_IMPL=reference, the test's configuration. */
    private static void install(Machine m) {
        ExternalProcess.Result installed = m.exec(SRC + "/deploy/install.sh").assertExit(0);
        assertTrue(installed.output().contains("systemd reloaded"), installed.output());
        m.exec("id", "sluice").assertExit(0);
        if (LabImpl.current() == LabImpl.REFERENCE) {
            m.exec("install", "-m", "0755", SRC + "/deploy/test/reference/sluice-terminator",
                    SRC + "/deploy/test/reference/sluice-balancer", "/usr/bin/").assertExit(0);
        }
        // The key: readable by the services' group only, as the README tells operators to do.
        m.exec("install", "-m", "0640", "-o", "root", "-g", "sluice", FILES + "/site.pem", "/etc/sluice/tls/site.pem")
                .assertExit(0);
        m.exec("cp", FILES + "/balancer.cfg", "/etc/sluice/balancer.cfg").assertExit(0);
        // The shipped example terminator.conf is used as it is: [*]:443 -> 127.0.0.1:8080, PROXY v2.
        m.exec("systemd-run", "--unit=sluice-test-backend", "--property=DynamicUser=yes", JDK + "/bin/jwebserver",
                "-b", "127.0.0.1", "-p", "8081", "-d", FILES + "/www").assertExit(0);
    }

    private static List<String> workers(Machine m) {
        String listed = m.exec("systemctl", "list-units", "--all", "--plain", "--no-legend", "sluice-terminator@*")
                .assertExit(0).output();
        return listed.lines().map(l -> l.strip().split("\\s+")[0]).filter(u -> u.startsWith("sluice-terminator@"))
                .sorted().toList();
    }

    private static Map<String, String> mainPids(Machine m, List<String> workers) {
        Map<String, String> pids = new LinkedHashMap<>();
        List<String> units = new ArrayList<>(workers);
        units.add(BALANCER);
        for (String unit : units) {
            String pid = m.property(unit, "MainPID");
            assertNotEquals("0", pid, unit + " has no main process\n" + status(m));
            pids.put(unit, pid);
        }
        return pids;
    }

    private static String cpusAllowed(Machine m, String pid) {
        return m.exec("cat", "/proc/" + pid + "/status").assertExit(0).output().lines()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.split(":")[1].strip())
                .findFirst().orElse("?");
    }

    private static ExternalProcess.Result curl(Machine m) {
        return m.inNetwork(CURL_TIMEOUT, Sluice.tool("curl"), "-sS", "-k", "--max-time", "10", "https://127.0.0.1/");
    }

    /** Several requests over TLS through the terminator workers and the balancer to the backend. */
    private static void assertServes(Machine m) {
        for (int i = 0; i < 6; i++) {
            ExternalProcess.Result result = curl(m);
            assertEquals(0, result.exit(), result.output() + "\n" + status(m));
            assertEquals(BODY, result.output().strip());
        }
    }

    private static void awaitRestarted(Machine m, String unit, String killedPid) {
        long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
        while (true) {
            String state = m.property(unit, "ActiveState");
            String pid = m.property(unit, "MainPID");
            if (state.equals("active") && !pid.equals("0") && !pid.equals(killedPid)) {
                assertEquals("1", m.property(unit, "NRestarts"), unit);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(unit + " not restarted within " + RESTART_TIMEOUT + " (" + state + ")\n" + status(m));
            }
            Machine.sleep(Duration.ofMillis(200));
        }
    }

    private static void awaitAllInactive(Machine m, Iterable<String> units) {
        long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
        for (String unit : units) {
            while (!m.property(unit, "ActiveState").equals("inactive")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(unit + " still " + m.property(unit, "ActiveState") + "\n" + status(m));
                }
                Machine.sleep(Duration.ofMillis(200));
            }
        }
    }

    private static String journal(Machine m) {
        return m.exec("journalctl", "--no-pager", "--lines=80", "-u", "sluice-*").output();
    }

    private static String status(Machine m) {
        return m.exec("systemctl", "status", "--no-pager", "--lines=30", "sluice-*", "sluice-test-backend").output();
    }
}
