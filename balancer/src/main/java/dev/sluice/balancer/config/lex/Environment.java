package dev.sluice.balancer.config.lex;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The variables {@code "${NAME}"} expands to while a configuration is read: the process's
 * environment at the start of each load, then changed line by line by {@code global}'s
 * {@code setenv}, {@code presetenv}, {@code resetenv} and {@code unsetenv}, so a change reaches
 * the lines after it (in every later file too) and never the ones before, as in HAProxy. A reload
 * starts again from the process's environment: the JVM's own cannot be changed.
 */
public final class Environment {
    private final Map<String, String> variables;

    public Environment(Map<String, String> initial) {
        this.variables = new HashMap<>(initial);
    }

    /** The value of {@code name}, or null when it is not set. */
    public String get(String name) {
        return variables.get(name);
    }

    /** {@code setenv}: sets {@code name}, replacing its value. */
    public void set(String name, String value) {
        variables.put(name, value);
    }

    /** {@code presetenv}: sets {@code name} only if it is not set yet. */
    public void preset(String name, String value) {
        variables.putIfAbsent(name, value);
    }

    /** {@code resetenv}: removes every variable but {@code kept}. */
    public void reset(Collection<String> kept) {
        variables.keySet().retainAll(kept);
    }

    /** {@code unsetenv}: removes {@code names}. */
    public void unset(Collection<String> names) {
        variables.keySet().removeAll(names);
    }
}
