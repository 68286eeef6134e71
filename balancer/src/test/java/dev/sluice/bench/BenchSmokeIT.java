package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The benchmark is not a test; this only proves {@code scripts/bench/run --smoke} works end to end. */
class BenchSmokeIT {
    // Issue 11: the smoke run, every workload for both systems, ends within two minutes.
    private static final Duration SMOKE_LIMIT = Duration.ofMinutes(2);
    // Workloads left out of the default smoke set (they would push it past two minutes).
    private static final List<String> NOT_IN_SMOKE = List.of("balancer-reload", "limits", "chain-bulk",
            "balancer-keepalive-log");

    @Test
    void smokeRunMeasuresEveryWorkloadForBothSystems() {
        String output = smoke(List.of());
        // the workloads the smoke run covers (--list after --smoke)
        String workloads = ExternalProcess.run("bench --smoke --list", Sluice.command("bench/run", "--smoke", "--list"),
                Duration.ofSeconds(30)).assertExit(0).output();
        List<String> covered = Arrays.asList(workloads.strip().split("\n"));
        String all = ExternalProcess.run("bench --list", Sluice.command("bench/run", "--list"),
                Duration.ofSeconds(30)).assertExit(0).output();
        for (String workload : all.strip().split("\n")) {
            assertTrue(covered.contains(workload) || NOT_IN_SMOKE.contains(workload),
                    workload + " is neither in the smoke run nor in this test's list of the others");
        }
        covered.forEach(workload -> figures(output, workload));
    }

    @Test
    void smokeRunOfTheWorkloadsLeftOutOfTheDefaultSet() {
        String output = smoke(NOT_IN_SMOKE);
        NOT_IN_SMOKE.forEach(workload -> figures(output, workload));
        // each system really reloaded under load (one second: at least one reload each)
        List<String> reloads = figures(output, "balancer-reload").stream()
                .filter(figure -> figure.startsWith("reloads_done ")).toList();
        assertEquals(1, reloads.size(), output);
        for (String value : reloads.getFirst().split(" ")[1].split(",")) {
            assertTrue(Double.parseDouble(value) >= 1, "no reload done: " + reloads + "\n" + output);
        }
        // the log lines reached the UDP receiver for both systems
        String logBytes = figures(output, "balancer-keepalive-log").stream()
                .filter(figure -> figure.startsWith("log_bytes_per_req ")).findFirst().orElseThrow();
        for (String value : logBytes.split(" ")[1].split(",")) {
            assertTrue(Double.parseDouble(value) > 50, "log lines missing: " + logBytes + "\n" + output);
        }
    }

    private static String smoke(List<String> workloads) {
        List<String> args = new ArrayList<>(List.of("--smoke"));
        args.addAll(workloads);
        List<String> command = Sluice.command("bench/run", args.toArray(String[]::new));
        String output = ExternalProcess.run("bench --smoke", command, SMOKE_LIMIT).assertExit(0).output();
        assertTrue(output.contains("bench: smoke run complete"), output);
        assertEquals(0, output.lines().filter(line -> line.contains("exited before listening")).count(), output);
        return output;
    }

    /**
     * The workload's summary lines, each checked (finite; rates above zero), as "FIGURE V1,V2" (ours,
     * reference) or "FIGURE V" (a limit of the machine); at least one.
     */
    private static List<String> figures(String output, String workload) {
        // "W FIGURE ours V REF V ratio R" for a pair of systems, "W FIGURE limit V" for the machine's limits
        Pattern figure = Pattern.compile("(?m)^" + Pattern.quote(workload)
                + "\\s+(\\S+)\\s+(?:ours\\s+(\\S+)\\s+\\S+\\s+(\\S+)\\s+ratio|limit\\s+(\\S+)$)");
        Matcher matcher = figure.matcher(output);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            List<String> values = matcher.group(4) != null ? List.of(matcher.group(4))
                    : Arrays.asList(matcher.group(2), matcher.group(3));
            for (String value : values) {
                double number = Double.parseDouble(value);
                // A one-second run can see the heap shrink (memory deltas below zero), never a NaN or no traffic.
                assertTrue(Double.isFinite(number), workload + " " + matcher.group(1) + " = " + value + "\n" + output);
                if (matcher.group(1).endsWith("_per_s")) {
                    assertTrue(number > 0, workload + " " + matcher.group(1) + " = " + value + "\n" + output);
                }
            }
            found.add(matcher.group(1) + " " + String.join(",", values));
        }
        assertTrue(!found.isEmpty(), "no figures for " + workload + "\n" + output);
        return found;
    }
}
