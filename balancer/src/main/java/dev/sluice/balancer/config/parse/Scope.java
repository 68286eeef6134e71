package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.model.ProxyKind;
import java.util.EnumSet;
import java.util.Set;

/** Where a proxy keyword may appear: a {@code defaults} section, or a proxy with that capability. */
enum Scope {
    DEFAULTS,
    FRONTEND,
    BACKEND;

    static final Set<Scope> ALL = EnumSet.allOf(Scope.class);
    static final Set<Scope> DEFAULTS_FRONTEND = EnumSet.of(DEFAULTS, FRONTEND);
    static final Set<Scope> DEFAULTS_BACKEND = EnumSet.of(DEFAULTS, BACKEND);
    static final Set<Scope> FRONTEND_BACKEND = EnumSet.of(FRONTEND, BACKEND);
    static final Set<Scope> FRONTEND_ONLY = EnumSet.of(FRONTEND);
    static final Set<Scope> BACKEND_ONLY = EnumSet.of(BACKEND);

    /** Whether a proxy of this kind may use a keyword valid in {@code scopes}. */
    static boolean allows(Set<Scope> scopes, ProxyKind kind) {
        return (kind.isFrontend() && scopes.contains(FRONTEND)) || (kind.isBackend() && scopes.contains(BACKEND));
    }

    /** The capability a proxy lacks for a keyword, for HAProxy's "has no … capability" message. */
    static String missingCapability(Set<Scope> scopes) {
        return scopes.contains(FRONTEND) ? "frontend" : "backend";
    }
}
