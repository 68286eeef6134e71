package dev.sluice.balancer.config.parse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The local peer's name when neither {@code -L} nor {@code localpeer} gives one: the host name, as HAProxy's. */
public final class LocalPeerName {

    /** Where Linux keeps the host name; read rather than asking a resolver, which may not answer. */
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LocalPeerName() {
    }

    public static String hostName() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // Not Linux, or hidden: the environment may still know.
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.trim();
    }
}
