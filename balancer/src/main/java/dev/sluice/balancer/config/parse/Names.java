package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;

/** HAProxy's rule for proxy and server names: letters, digits, '.', '-', '_' and ':'. */
final class Names {

    private Names() {
    }

    /** {@code what} names the thing in the message: {@code 'frontend' name}, {@code server name}. */
    static void check(String name, String what) throws ConfigException {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c < 0x80 && Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':';
            if (!allowed) {
                throw new ConfigException("character '" + c + "' is not permitted in " + what + " '" + name + "'");
            }
        }
    }
}
