package dev.sluice.balancer.runtime;

import java.util.List;
import java.util.Objects;

/**
 * One proxy's {@code compression algo|type|offload} lines with the global {@code tune.comp.maxlevel}.
 * A request takes the backend's algorithms if it has any, else the frontend's, and the same for the
 * types, as HAProxy 2.6 does; {@code offload} of either side applies.
 *
 * @param algorithms in HAProxy's order: each line's names are put in front of what was there (the
 *                   defaults' list included), so the last one written comes first; {@code *} in
 *                   {@code Accept-Encoding} picks the first
 * @param types      Content-Type prefixes (compared ignoring case); empty compresses any type
 * @param offload    remove {@code Accept-Encoding} from the request once an algorithm is chosen, so
 *                   the server does not compress
 * @param level      the deflate level, {@code tune.comp.maxlevel} (1 to 9)
 */
public record CompressionPlan(List<CompressionAlgorithm> algorithms, List<String> types, boolean offload, int level) {

    /** HAProxy's {@code tune.comp.maxlevel} default. */
    public static final int DEFAULT_LEVEL = 1;
    /** The highest deflate level (zlib's Z_BEST_COMPRESSION). */
    public static final int MAX_LEVEL = 9;

    /** No {@code compression} line. */
    public static final CompressionPlan NONE = new CompressionPlan(List.of(), List.of(), false, DEFAULT_LEVEL);

    public CompressionPlan {
        algorithms = List.copyOf(algorithms);
        types = List.copyOf(types);
        if (level < 1 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level: " + level + " (expected: 1.." + MAX_LEVEL + ")");
        }
        for (String type : types) {
            if (Objects.requireNonNull(type, "type").isEmpty()) {
                throw new IllegalArgumentException("types: an empty type (expected: a MIME type prefix)");
            }
        }
    }

    /** This plan with the global deflate level. */
    public CompressionPlan withLevel(int maxLevel) {
        return new CompressionPlan(algorithms, types, offload, maxLevel);
    }
}
