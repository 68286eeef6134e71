package dev.sluice.common;

import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.Log4J2LoggerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Process-wide setup shared by both binaries. */
public final class Runtimes {
    private Runtimes() {
    }

    /** Routes Netty's internal logging through Log4j 2 before any Netty class logs. */
    public static void routeNettyLogging() {
        InternalLoggerFactory.setDefaultFactory(Log4J2LoggerFactory.INSTANCE);
    }

    /** The version stamped into {@code resource} (a properties file with a {@code version} key). */
    public static String version(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
