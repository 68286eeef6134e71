package dev.sluice.balancer.acl;

/**
 * The request a sample expression is being evaluated for, for the few converters that read it
 * ({@code add(txn.x)}, {@code concat}, {@code strcmp}, {@code set-var}, {@code table_*}). Converter
 * stages are built once and shared between event loops (an ACL's pipeline), so they cannot hold the
 * request; the expression publishes it here on the evaluating thread, only when one of its
 * converters asked for it ({@link Converters.Converter#readsRequest()}).
 */
final class ConverterRequest {

    private static final ThreadLocal<RequestView> CURRENT = new ThreadLocal<>();

    private ConverterRequest() {
    }

    /** Publishes {@code request}; returns the one published before, to give back to {@link #leave}. */
    static RequestView enter(RequestView request) {
        RequestView outer = CURRENT.get();
        CURRENT.set(request);
        return outer;
    }

    static void leave(RequestView outer) {
        CURRENT.set(outer);
    }

    /** The request being evaluated on this thread, or null outside an evaluation that needs it. */
    static RequestView current() {
        return CURRENT.get();
    }

    /** The current request's variables, or null. */
    static Variables variables() {
        RequestView r = CURRENT.get();
        return r == null ? null : r.variables();
    }
}
