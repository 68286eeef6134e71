package dev.sluice.deploy;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs JUnit test classes in a JVM of their own, started by an integration test where it cannot
 * run them itself: inside the network namespace of a container engine ({@code nsenter --net=…}),
 * the only place where the engine's published ports can be reached. Prints the summary and every
 * failure, then exits 0 only if tests were found and every one of them succeeded (an aborted or
 * skipped test fails the run: the calling test decides what may be skipped, not this JVM).
 *
 * <p>Usage: {@code java -cp TEST_CLASSPATH dev.sluice.deploy.NamespaceLauncher CLASS…}
 */
public final class NamespaceLauncher {
    /** Printed last, with the counts: the calling test reads it. */
    static final String SUMMARY_PREFIX = "namespace-launcher: RESULT";
    private static final int MAX_STACK_LINES = 40;

    private NamespaceLauncher() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: NamespaceLauncher TEST_CLASS…");
            System.exit(2);
        }
        LauncherDiscoveryRequestBuilder builder = LauncherDiscoveryRequestBuilder.request();
        for (String name : args) {
            builder.selectors(selectClass(name));
        }
        LauncherDiscoveryRequest request = builder.build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, listener);

        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, MAX_STACK_LINES);
        long found = summary.getTestsFoundCount();
        long succeeded = summary.getTestsSucceededCount();
        out.println(SUMMARY_PREFIX + " found=" + found + " succeeded=" + succeeded
                + " failed=" + summary.getTotalFailureCount() + " aborted=" + summary.getTestsAbortedCount()
                + " skipped=" + summary.getTestsSkippedCount());
        out.flush();
        System.exit(found > 0 && succeeded == found && summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
