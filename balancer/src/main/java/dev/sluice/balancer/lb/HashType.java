package dev.sluice.balancer.lb;

import java.util.Objects;

/**
 * HAProxy's {@code hash-type <method> <function> [avalanche]}.
 *
 * @param method    how a hash designates a server
 * @param function  the hash function applied to the key
 * @param avalanche whether {@link HashFunction#avalanche} mixes the result before use
 */
public record HashType(Method method, HashFunction function, boolean avalanche) {
    /** HAProxy's default when {@code hash-type} is absent. */
    public static final HashType DEFAULT = new HashType(Method.MAP_BASED, HashFunction.SDBM, false);

    /** {@code hash-type consistent} with no function named: HAProxy then uses sdbm with avalanche. */
    public static final HashType CONSISTENT = new HashType(Method.CONSISTENT, HashFunction.SDBM, true);

    public HashType {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(function, "function");
    }

    /** The hash of a key, mixed when {@link #avalanche} is set. */
    int finish(int hash) {
        return avalanche ? HashFunction.avalanche(hash) : hash;
    }

    public enum Method {
        /**
         * A table with each usable server repeated by weight; the hash modulo the table size picks the entry.
         * Smooth but static: most keys move when the set of usable servers changes.
         */
        MAP_BASED,
        /**
         * A ring with 16 points per unit of weight, placed by server id; the point nearest the hash wins.
         * Only the keys of a server that leaves or joins move.
         */
        CONSISTENT
    }
}
