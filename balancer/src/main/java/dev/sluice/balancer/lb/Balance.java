package dev.sluice.balancer.lb;

import java.util.List;
import java.util.Objects;

/**
 * A backend's balancing configuration: {@code balance}, {@code hash-type}, {@code hash-balance-factor} and
 * {@code option allbackups}. {@link #snapshot} turns it and a list of servers into a {@link ServerSet}.
 *
 * @param algorithm         the {@code balance} algorithm
 * @param hashType          how hashing algorithms (and {@code random}, which always uses the ring) map keys
 * @param hashBalanceFactor bounded-load factor in percent for consistent hashing and {@code random}; 0 is off
 * @param allBackups        use every usable backup when no active server is usable, not just the first
 */
public record Balance(Algorithm algorithm, HashType hashType, int hashBalanceFactor, boolean allBackups) {
    /** {@code balance roundrobin} with every other setting at HAProxy's default. */
    public static final Balance ROUND_ROBIN = new Balance(new RoundRobin(), HashType.DEFAULT, 0, false);

    public Balance {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hashType, "hashType");
        if (hashBalanceFactor != 0 && hashBalanceFactor <= 100) {
            throw new IllegalArgumentException(
                    "hashBalanceFactor: " + hashBalanceFactor + " (expected: 0 for off, or > 100)");
        }
    }

    /** An algorithm with the default {@code hash-type}, no balance factor and the first backup only. */
    public static Balance of(Algorithm algorithm) {
        return new Balance(algorithm, HashType.DEFAULT, 0, false);
    }

    public Balance withHashType(HashType type) {
        return new Balance(algorithm, type, hashBalanceFactor, allBackups);
    }

    public Balance withHashBalanceFactor(int factor) {
        return new Balance(algorithm, hashType, factor, allBackups);
    }

    public Balance withAllBackups(boolean all) {
        return new Balance(algorithm, hashType, hashBalanceFactor, all);
    }

    /** Builds the immutable selection state over these servers (declaration order matters). */
    public ServerSet snapshot(List<Candidate> servers) {
        return new ServerSet(this, servers);
    }

    /** One {@code balance} algorithm and its arguments. */
    public sealed interface Algorithm
            permits RoundRobin, StaticRoundRobin, LeastConn, First, Source, Uri, UrlParam, Header, Random, Hash {
        /** Whether it hashes a key from the request, so {@link HashType} applies. */
        default boolean hashesKey() {
            return false;
        }
    }

    /** {@code roundrobin}: smooth weighted round robin; weights may change at run time. */
    public record RoundRobin() implements Algorithm {
    }

    /** {@code static-rr}: HAProxy's weighted map walked in turn. */
    public record StaticRoundRobin() implements Algorithm {
    }

    /** {@code leastconn}: fewest connections (plus queued) per unit of weight; round robin among equals. */
    public record LeastConn() implements Algorithm {
    }

    /** {@code first}: the lowest id with a free connection slot. */
    public record First() implements Algorithm {
    }

    /** {@code source}: the client address. */
    public record Source() implements Algorithm {
        @Override
        public boolean hashesKey() {
            return true;
        }
    }

    /**
     * {@code uri [whole] [len N] [depth N] [path-only]}.
     *
     * @param whole    hash the query string too (else stop at '?')
     * @param length   hash at most this many characters; 0 for no limit
     * @param depth    hash at most this many directory levels; 0 for no limit
     * @param pathOnly hash from the path's first '/' (drop scheme and authority of an absolute URI)
     */
    public record Uri(boolean whole, int length, int depth, boolean pathOnly) implements Algorithm {
        public Uri {
            if (length < 0) {
                throw new IllegalArgumentException("len: " + length + " (expected: a positive integer)");
            }
            if (depth < 0) {
                throw new IllegalArgumentException("depth: " + depth + " (expected: a positive integer)");
            }
        }

        @Override
        public boolean hashesKey() {
            return true;
        }
    }

    /** {@code url_param NAME}: the value of a query parameter; round robin when it is absent. */
    public record UrlParam(String name) implements Algorithm {
        public UrlParam {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("url_param: empty name (expected: a parameter name)");
            }
        }

        @Override
        public boolean hashesKey() {
            return true;
        }
    }

    /**
     * {@code hdr(NAME) [use_domain_only]}: a header's value; round robin when it is absent or empty.
     *
     * @param name          the header, matched without regard to case by the caller that fetches it
     * @param useDomainOnly hash only the label before the top-level domain ("1wt" in "haproxy.1wt.eu")
     */
    public record Header(String name, boolean useDomainOnly) implements Algorithm {
        public Header {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("hdr: empty name (expected: a header name)");
            }
        }

        @Override
        public boolean hashesKey() {
            return true;
        }
    }

    /** {@code random[(draws)]}: the least loaded of {@code draws} random points on the ring. */
    public record Random(int draws) implements Algorithm {
        /** HAProxy's default: the power of two choices. */
        public static final int DEFAULT_DRAWS = 2;

        public Random {
            if (draws < 1) {
                throw new IllegalArgumentException("random: " + draws + " draws (expected: at least 1)");
            }
        }
    }

    /**
     * {@code hash EXPR}: the caller evaluates the expression and hands the result over as the key; round robin
     * when the expression yields nothing.
     */
    public record Hash(String expression) implements Algorithm {
        public Hash {
            Objects.requireNonNull(expression, "expression");
        }

        @Override
        public boolean hashesKey() {
            return true;
        }
    }
}
