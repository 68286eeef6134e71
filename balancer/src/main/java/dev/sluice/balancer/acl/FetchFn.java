package dev.sluice.balancer.acl;

/** A compiled fetch: feeds the sample (every occurrence when {@code all}, as ACLs want) to the sink. */
@FunctionalInterface
interface FetchFn {
    boolean fetch(RequestView request, boolean all, SampleSink sink);
}
