package dev.sluice.common.proxy;

/**
 * Thrown by the parser for a header it refuses. It carries no stack trace: a refusal is an
 * expected outcome on hostile input, and its reason says everything.
 */
public final class ProxyRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final ProxyRefusedException[] BY_REASON = new ProxyRefusedException[ProxyRefusal.values().length];

    static {
        for (ProxyRefusal reason : ProxyRefusal.values()) {
            BY_REASON[reason.ordinal()] = new ProxyRefusedException(reason);
        }
    }

    private final transient ProxyRefusal reason;

    private ProxyRefusedException(ProxyRefusal reason) {
        super(reason.code() + ": " + reason.sentence(), null, false, false);
        this.reason = reason;
    }

    /** The shared, immutable instance for {@code reason} (it has no stack trace to differ by). */
    public static ProxyRefusedException of(ProxyRefusal reason) {
        return BY_REASON[reason.ordinal()];
    }

    public ProxyRefusal reason() {
        return reason;
    }
}
