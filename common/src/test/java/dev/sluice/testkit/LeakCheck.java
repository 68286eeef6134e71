package dev.sluice.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes every Netty buffer leak fail the build. A {@link LauncherSessionListener} installs a leak
 * detector factory before any buffer class loads (the leak level is {@code paranoid}, set by the
 * build); an {@link AfterAllCallback}, registered for every test class by auto-detection, collects
 * garbage, lets the detectors poll their queues and fails the class if anything leaked.
 */
public final class LeakCheck implements AfterAllCallback, LauncherSessionListener {
    private static final List<String> leaks = new ArrayList<>();
    private static final int GC_ROUNDS = 3;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        install();
    }

    static synchronized void install() {
        if (ResourceLeakDetectorFactory.instance() instanceof Recording) {
            return;
        }
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new Recording());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> found = drain();
        if (!found.isEmpty()) {
            throw new AssertionError(found.size() + " Netty buffer leak(s) in or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", found));
        }
    }

    /** Forces the detectors to report what the collector found unreachable but unreleased. */
    public static List<String> drain() {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            Ports.sleep(java.time.Duration.ofMillis(20));
            // Detectors poll their reference queue when a new resource is tracked.
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
            probe = UnpooledByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
        }
        synchronized (leaks) {
            List<String> copy = List.copyOf(leaks);
            leaks.clear();
            return copy;
        }
    }

    private static final class Recording extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<>(resource, samplingInterval, maxActive) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    super.reportTracedLeak(resourceType, records);
                    record(resourceType + " leaked:" + records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    super.reportUntracedLeak(resourceType);
                    record(resourceType + " leaked (no records)");
                }

                @Override
                protected boolean needReport() {
                    return true;
                }
            };
        }
    }

    private static void record(String leak) {
        synchronized (leaks) {
            leaks.add(leak);
        }
    }
}
