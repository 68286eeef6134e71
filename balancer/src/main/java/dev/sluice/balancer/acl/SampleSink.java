package dev.sluice.balancer.acl;

/**
 * Receives the values a sample expression produces, without boxing or copying: a string arrives as
 * a range of a {@link CharSequence} that is only valid during the call. Returning {@code true} says
 * "enough" (an ACL pattern matched, or a single value was taken) and stops the iteration.
 */
public interface SampleSink {

    boolean string(CharSequence chars, int from, int to);

    boolean integer(long value);

    boolean ip(IpAddress address);

    boolean bool(boolean value);
}
