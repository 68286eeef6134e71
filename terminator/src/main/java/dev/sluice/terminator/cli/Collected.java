package dev.sluice.terminator.cli;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Settings as given (not yet judged), with where each came from, and the problems found so far. */
final class Collected {
    record Assigned(String value, Origin origin, ConfigBuilder.Layer layer) {
    }

    record PemSpec(String cert, String key, Origin origin) {
    }

    static final class FrontendSpec {
        final Origin origin;
        final String inline;
        final Map<Key, Assigned> values = new EnumMap<>(Key.class);
        final List<PemSpec> pems = new ArrayList<>();

        FrontendSpec(Origin origin, String inline) {
            this.origin = origin;
            this.inline = inline;
        }
    }

    final List<String> problems = new ArrayList<>();
    final Map<Key, Assigned> globals = new EnumMap<>(Key.class);
    final List<FrontendSpec> frontends = new ArrayList<>();
    final List<PemSpec> pems = new ArrayList<>();

    /** Records a problem once, even when a bad value is read for several frontends. */
    void problem(Origin origin, String text) {
        String problem = origin + ": " + text;
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    /** Parses an assigned value, recording a problem (and returning the fallback) when it is bad. */
    <T> T value(Map<Key, Assigned> from, Key key, Function<String, T> parser, T fallback) {
        Assigned assigned = from.get(key);
        if (assigned == null) {
            return fallback;
        }
        try {
            return parser.apply(assigned.value());
        } catch (IllegalArgumentException e) {
            problem(assigned.origin(), key.configName() + ": " + e.getMessage());
            return fallback;
        }
    }
}
