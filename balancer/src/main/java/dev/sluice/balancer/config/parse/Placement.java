package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import java.util.Set;

/** HAProxy's rules for a keyword written where it does not apply. */
final class Placement {

    private Placement() {
    }

    /**
     * Whether the keyword applies to {@code draft}. In a {@code defaults} section a keyword that is not
     * allowed there is refused; in a proxy that lacks the capability HAProxy ignores it with a warning
     * (or refuses it, for {@code server}).
     */
    static boolean applies(String keyword, Set<Scope> scopes, Keyword.Misplaced misplaced, ProxyDraft draft, Line line,
                           Diagnostics diagnostics) throws ConfigException {
        if (draft.isDefaults()) {
            if (!scopes.contains(Scope.DEFAULTS)) {
                throw new ConfigException("'" + keyword + "' not allowed in 'defaults' section");
            }
            return true;
        }
        if (Scope.allows(scopes, draft.kind)) {
            return true;
        }
        String message = "'" + keyword + "' " + (misplaced == Keyword.Misplaced.ALERT ? "not allowed" : "ignored")
                + " because " + draft.describe() + " has no " + Scope.missingCapability(scopes) + " capability";
        if (misplaced == Keyword.Misplaced.ALERT) {
            throw new ConfigException(message);
        }
        diagnostics.warning(line.location(), message);
        return false;
    }
}
