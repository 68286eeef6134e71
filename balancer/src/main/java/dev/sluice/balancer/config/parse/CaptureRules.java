package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.LogSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * The capture slots rules fill, numbered as HAProxy numbers them: {@code capture request header},
 * {@code declare capture request len N} and {@code http-request capture EXPR len N} each add a
 * request slot in file order (responses likewise, without the rule form). A rule's {@code len N}
 * is turned into {@code id K} here, at its line, so the rule compiler sees one form only.
 */
final class CaptureRules {

    private CaptureRules() {
    }

    /** {@code declare capture request|response len N}: a slot for capture rules to fill. */
    static void declare(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String side = line.word(2);
        if (!line.word(1).equals("capture") || !(side.equals("request") || side.equals("response"))
                || !line.word(3).equals("len")) {
            throw new ConfigException("'declare' expects 'capture request|response len <length>'");
        }
        int length = Units.integer(line.word(4), "'declare capture' len", 1, LogSettings.Capture.MAX_LENGTH);
        (side.equals("request") ? draft.requestCaptures : draft.responseCaptures)
                .add(new LogSettings.Capture(null, length));
    }

    /**
     * The words of an {@code http-request|http-response capture} rule, its {@code len N} (requests
     * only) replaced by the {@code id} of the slot it adds.
     */
    static List<String> slot(Line line, ProxyDraft draft) throws ConfigException {
        List<String> words = line.from(1);
        String rule = "'" + line.word(0) + " capture' rule";
        String how = words.size() > 2 ? words.get(2) : null;
        if (words.size() < 4 || !("len".equals(how) || "id".equals(how))) {
            throw new ConfigException("error detected in " + draft.describe() + " while parsing " + rule
                    + " : expects <expression> [ 'len' <length> | id <idx> ]");
        }
        if (how.equals("id")) {
            Units.integer(words.get(3), rule + " id", 0, Integer.MAX_VALUE);
            return words;
        }
        if (line.word(0).equals("http-response")) {
            throw new ConfigException("error detected in " + draft.describe() + " while parsing " + rule
                    + " : expects 'id', found 'len'");
        }
        if (draft.kind == null || !draft.kind.isFrontend()) {
            throw new ConfigException("error detected in " + draft.describe() + " while parsing " + rule + " : proxy '"
                    + draft.name + "' has no frontend capability");
        }
        int length = Units.integer(words.get(3), rule + " len", 1, LogSettings.Capture.MAX_LENGTH);
        draft.requestCaptures.add(new LogSettings.Capture(null, length));
        List<String> rewritten = new ArrayList<>(words);
        rewritten.set(2, "id");
        rewritten.set(3, Integer.toString(draft.requestCaptures.size() - 1));
        return rewritten;
    }
}
