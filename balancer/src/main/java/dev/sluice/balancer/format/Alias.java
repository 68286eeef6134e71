package dev.sluice.balancer.format;

/**
 * One {@code %X} alias of a log-format string: appends its value, or returns false when it has
 * none (the renderer then writes {@code -}, as HAProxy does).
 */
@FunctionalInterface
public interface Alias {
    boolean append(StringBuilder out, FormatContext context);
}
