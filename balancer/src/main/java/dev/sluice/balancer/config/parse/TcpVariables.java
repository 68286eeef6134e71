package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.acl.Variables;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.stick.TcpRule;

/**
 * The variable name of a {@code tcp-request … set-var(NAME)} or {@code unset-var(NAME)} action,
 * checked as {@code http-request} checks it, plus what the phase allows: connection and session
 * rules run before any request exists, so only {@code sess.} variables can live there (HAProxy 2.6
 * accepts {@code txn.}, {@code req.} and {@code res.} there and drops them; Sluice says so instead).
 */
final class TcpVariables {

    /** HAProxy 2.6's {@code set-var(NAME,COND…)} conditions, which Sluice does not evaluate yet. */
    private static final String CONDITION_SEPARATOR = ",";

    private TcpVariables() {
    }

    /** {@code verb} is {@code set-var(NAME)} or {@code unset-var(NAME)}; returns NAME. */
    static String name(TcpRule.Phase phase, String verb) throws ConfigException {
        String label = "'tcp-request " + phase.keyword() + " " + verb + "'";
        int open = verb.indexOf('(');
        if (!verb.endsWith(")")) {
            throw new ConfigException(label + ": expects a variable name in parentheses, e.g. "
                    + verb.substring(0, open) + "(sess.name)");
        }
        String name = verb.substring(open + 1, verb.length() - 1);
        if (name.contains(CONDITION_SEPARATOR)) {
            throw new ConfigException(label + ": set-var conditions (ifexists, ifnotset, …) are not supported yet");
        }
        String error = Variables.checkName(name);
        if (error != null) {
            throw new ConfigException(label + ": " + error);
        }
        if (phase != TcpRule.Phase.CONTENT && !name.startsWith("sess.")) {
            throw new ConfigException(label + ": only 'sess.' variables exist before the request (a "
                    + name.substring(0, name.indexOf('.')) + " variable set here would be dropped); use "
                    + "tcp-request content for '" + name.substring(0, name.indexOf('.')) + ".' variables");
        }
        return name;
    }
}
