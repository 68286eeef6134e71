package dev.sluice.balancer.config;

/**
 * A refusal of one configuration line, raised by keyword parsers and turned into an ALERT at the
 * line's location by the parser, which then goes on with the next line.
 */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
