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

    /**
     * {@code maxcomprate KBPS}: only 0 (HAProxy's default, no limit) is accepted. A limit makes
     * HAProxy lower each response's level while the process-wide compressed input rate is near it.
     */
    static void maxCompRate(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        int rate = number(line, Integer.MAX_VALUE, "'maxcomprate' expects an integer argument in kb/s.");
        if (rate != 0) {
            throw new ConfigException("'maxcomprate' with a limit is not supported yet (only 0, no limit): HAProxy "
                    + "lowers each response's compression level as the process-wide compressed input rate nears the "
                    + "limit, and sluice-balancer keeps no such rate; responses are compressed at tune.comp.maxlevel");
        }
    }

    /**
     * {@code maxcompcpuusage PERCENT}: only 100 (HAProxy's default, no limit) is accepted. A limit
     * makes HAProxy stop compressing while its thread's idle time is below the rest.
     */
    static void maxCompCpuUsage(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        int usage = number(line, 100, "'maxcompcpuusage' expects an integer argument between 0 and 100.");
        if (usage != 100) {
            throw new ConfigException("'maxcompcpuusage' below 100 is not supported yet (only 100, no limit): HAProxy "
                    + "skips compression while an event loop's idle time is below the rest, and sluice-balancer does "
                    + "not measure its event loops' idle time; lower tune.comp.maxlevel to spend less CPU");
        }
    }

    /** A decimal number from 0 to {@code max} in word 1, else {@code message}. */
    private static int number(Line line, int max, String message) throws ConfigException {
        String text = line.size() < 2 ? "" : line.word(1);
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)
                || Long.parseLong(text) > max) {
            throw new ConfigException(message);
        }
        return Integer.parseInt(text);
    }
}
