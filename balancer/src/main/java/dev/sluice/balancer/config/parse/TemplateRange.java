package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;

/** The {@code NUM} or {@code LOW-HIGH} of {@code server-template}: the suffixes of the servers' names. */
final class TemplateRange {

    /** A bound on how many servers one line may create, so that a typo cannot exhaust memory. */
    static final int MAX_SERVERS = 10_000;

    private TemplateRange() {
    }

    /** The first and last suffix, inclusive. */
    static int[] parse(String text) throws ConfigException {
        int dash = text.indexOf('-');
        int low = dash < 0 ? 1 : number(text.substring(0, dash), text);
        int high = number(dash < 0 ? text : text.substring(dash + 1), text);
        if (low < 1 || high < low) {
            throw new ConfigException("'server-template': invalid range '" + text + "' (expected: <num> or "
                    + "<num_low>-<num_high> with 1 <= num_low <= num_high)");
        }
        if (high - low + 1 > MAX_SERVERS) {
            throw new ConfigException("'server-template': range '" + text + "' makes more than " + MAX_SERVERS
                    + " servers");
        }
        return new int[] {low, high};
    }

    private static int number(String digits, String whole) throws ConfigException {
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException("'server-template': invalid range '" + whole + "' (expected: <num> or "
                    + "<num_low>-<num_high>)");
        }
        return Integer.parseInt(digits);
    }
}
