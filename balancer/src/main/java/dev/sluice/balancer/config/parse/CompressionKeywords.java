package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.runtime.CompressionAlgorithm;
import dev.sluice.balancer.runtime.CompressionPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code compression algo NAME…}, {@code compression type MIME…} and {@code compression offload},
 * with HAProxy 2.6's wording. Request compression ({@code algo-req}, {@code type-req},
 * {@code direction}…) came with HAProxy 2.8 and is refused as 2.6 refuses it, saying so.
 */
final class CompressionKeywords {

    /** HAProxy 2.8's request-compression words, which 2.6 does not know. */
    private static final Set<String> FROM_2_8 = Set.of("algo-req", "algo-res", "type-req", "type-res", "direction");

    private static final String EXPECTS = "'compression' expects 'algo', 'type' or 'offload'";

    /** The part of a {@link ProxyDraft} these lines fill; a proxy starts from its defaults' lists. */
    static final class Draft {
        final List<CompressionAlgorithm> algorithms;
        final List<String> types;
        boolean offload;

        Draft() {
            algorithms = new ArrayList<>();
            types = new ArrayList<>();
        }

        /** As HAProxy: a proxy shares its defaults' algorithms and types and puts its own in front. */
        Draft(Draft defaults) {
            algorithms = new ArrayList<>(defaults.algorithms);
            types = new ArrayList<>(defaults.types);
        }

        CompressionPlan build() {
            return new CompressionPlan(algorithms, types, offload, CompressionPlan.DEFAULT_LEVEL);
        }
    }

    private CompressionKeywords() {
    }

    /** One {@code compression …} line. */
    static void compression(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        Draft compression = draft.tuning.compression;
        String what = line.size() < 2 ? "" : line.word(1);
        switch (what) {
            case "algo" -> {
                if (line.size() < 3 || line.word(2).isEmpty()) {
                    throw new ConfigException("'compression' expects <algorithm>.");
                }
                for (int i = 2; i < line.size(); i++) {
                    CompressionAlgorithm algorithm = CompressionAlgorithm.byConfigName(line.word(i));
                    if (algorithm == null) {
                        throw new ConfigException("'compression' : '" + line.word(i) + "' is not a supported "
                                + "algorithm (expected: identity, gzip, deflate or raw-deflate).");
                    }
                    compression.algorithms.addFirst(algorithm);
                }
            }
            case "type" -> {
                if (line.size() < 3 || line.word(2).isEmpty()) {
                    throw new ConfigException("'compression' expects <type>.");
                }
                for (int i = 2; i < line.size(); i++) {
                    if (!line.word(i).isEmpty()) {
                        compression.types.addFirst(line.word(i));
                    }
                }
            }
            case "offload" -> {
                if (draft.isDefaults()) {
                    diagnostics.warning(line.location(), "'compression' : 'offload' ignored in 'defaults' section.");
                } else {
                    compression.offload = true;
                }
            }
            default -> {
                if (FROM_2_8.contains(what)) {
                    throw new ConfigException(EXPECTS + " ('compression " + what + "' came with HAProxy 2.8, "
                            + "which compresses requests; HAProxy 2.6 compresses responses only)");
                }
                throw new ConfigException(EXPECTS);
            }
        }
    }
}
