package dev.sluice.terminator.cli;

import dev.sluice.terminator.cli.Collected.Assigned;
import dev.sluice.terminator.cli.Collected.FrontendSpec;
import dev.sluice.terminator.cli.Collected.PemSpec;
import dev.sluice.terminator.config.TerminatorConfig;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one validation path: settings from hitch.conf and from the command line go through the
 * same key table and value parsers, the file's first and the flags' after, so a flag overrides the
 * file. A single-valued key given twice in the same place is an error; {@code frontend} and
 * {@code pem-file} accumulate (as in hitch). Every problem is collected with its file:line or
 * --flag, so one run reports all of them.
 */
public final class ConfigBuilder {
    /** Which source a setting came from; later layers override earlier ones. */
    public enum Layer { FILE, FLAGS }

    private final Collected collected = new Collected();

    public ConfigBuilder apply(List<Setting> settings, Layer layer) {
        for (Setting setting : settings) {
            applyGlobal(setting, layer);
        }
        return this;
    }

    private void applyGlobal(Setting setting, Layer layer) {
        Key key = known(setting, Key.Scope.GLOBAL);
        if (key == null) {
            return;
        }
        switch (key) {
            case FRONTEND -> collected.frontends.add(frontend(setting, layer));
            case PEM_FILE -> pemFile(setting, collected.pems);
            default -> assign(collected.globals, key, setting, layer);
        }
    }

    private FrontendSpec frontend(Setting setting, Layer layer) {
        if (!setting.isBlock()) {
            return new FrontendSpec(setting.origin(), setting.value());
        }
        FrontendSpec spec = new FrontendSpec(setting.origin(), null);
        for (Setting inner : setting.block()) {
            Key key = known(inner, Key.Scope.FRONTEND);
            if (key == Key.PEM_FILE) {
                pemFile(inner, spec.pems);
            } else if (key != null) {
                assign(spec.values, key, inner, layer);
            }
        }
        return spec;
    }

    private void pemFile(Setting setting, List<PemSpec> into) {
        if (!setting.isBlock()) {
            into.add(new PemSpec(setting.value(), null, setting.origin()));
            return;
        }
        Map<Key, Assigned> values = new EnumMap<>(Key.class);
        for (Setting inner : setting.block()) {
            Key key = known(inner, Key.Scope.PEM);
            if (key != null) {
                assign(values, key, inner, Layer.FILE);
            }
        }
        Assigned cert = values.get(Key.CERT);
        if (cert == null) {
            problem(setting.origin(), "pem-file block without 'cert'");
            return;
        }
        Assigned key = values.get(Key.PRIVATE_KEY);
        into.add(new PemSpec(cert.value(), key == null ? null : key.value(), cert.origin()));
    }

    /** The key of {@code setting} if it is known and allowed here; otherwise records why not. */
    private Key known(Setting setting, Key.Scope where) {
        String name = setting.key();
        var unsupported = Unsupported.named(name);
        if (unsupported.isPresent()) {
            refuseUnsupported(unsupported.get(), setting);
            return null;
        }
        var key = Key.named(name);
        if (key.isEmpty()) {
            String hint = Key.closest(name).map(close -> " (did you mean '" + close + "'?)").orElse("");
            problem(setting.origin(), "unknown key '" + name + "'" + hint);
            return null;
        }
        Key.Scope scope = key.get().scope();
        boolean allowed = scope == where || (scope == Key.Scope.ANYWHERE && where != Key.Scope.PEM);
        if (!allowed) {
            problem(setting.origin(), "'" + name + "' is not allowed " + describe(where) + " (it belongs "
                    + describe(scope) + ")");
            return null;
        }
        if (setting.isBlock() && key.get().shape() != Key.Shape.REPEATED_OR_BLOCK) {
            problem(setting.origin(), "'" + name + "' takes a value, not a { } block");
            return null;
        }
        return key.get();
    }

    private void refuseUnsupported(Unsupported option, Setting setting) {
        if (!setting.isBlock()) {
            String value = setting.value();
            if (option.booleanOption()) {
                try {
                    if (!Values.bool(value)) {
                        return;
                    }
                } catch (IllegalArgumentException e) {
                    problem(setting.origin(), option.configName() + ": " + e.getMessage());
                    return;
                }
            } else if (value.isEmpty() || "0".equals(value)) {
                return;
            }
        }
        problem(setting.origin(), option.refusal());
    }

    private static String describe(Key.Scope scope) {
        return switch (scope) {
            case GLOBAL, ANYWHERE -> "at the top level";
            case FRONTEND -> "in a frontend block";
            case PEM -> "in a pem-file block";
        };
    }

    private void assign(Map<Key, Assigned> into, Key key, Setting setting, Layer layer) {
        Assigned previous = into.get(key);
        if (previous != null && previous.layer() == layer) {
            problem(setting.origin(), "'" + key.configName() + "' is set twice (first at " + previous.origin() + ")");
            return;
        }
        into.put(key, new Assigned(setting.value(), setting.origin(), layer));
    }

    private void problem(Origin origin, String text) {
        collected.problem(origin, text);
    }

    /** Validates everything given so far and builds the immutable configuration. */
    public TerminatorConfig build() throws ConfigException {
        return new ConfigValidation(collected).build();
    }
}
