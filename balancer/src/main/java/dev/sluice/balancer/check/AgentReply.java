package dev.sluice.balancer.check;

import java.util.Locale;

/**
 * One {@code agent-check} reply line, read as HAProxy 2.6 reads it: words separated by spaces, tabs or commas,
 * up to an optional {@code #description}; the last word of each kind wins. Health: {@code up}, {@code down},
 * {@code stopped}, {@code fail}; admin state: {@code ready}, {@code drain}, {@code maint}; a weight {@code NN%}
 * (relative to the configured weight); {@code maxconn:N} (the server's new limit). The first other word is reported as an error.
 *
 * @param health      the health word as written, null for none
 * @param admin       ready, drain or maint (lower case), null for none
 * @param weight      the {@code NN%} word, null for none
 * @param maxconn     the value after {@code maxconn:}, null for none
 * @param error       the first word not understood, null for none
 * @param description the text after {@code #}, empty for none
 */
public record AgentReply(String health, String admin, String weight, String maxconn, String error,
                         String description) {

    /** Reads the line (without its end of line). */
    public static AgentReply parse(String line) {
        String health = null;
        String admin = null;
        String weight = null;
        String maxconn = null;
        String error = null;
        String description = "";
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '#') {
                description = line.substring(i + 1).strip();
                break;
            }
            int end = i + 1;
            while (end < line.length() && " \t,".indexOf(line.charAt(end)) < 0) {
                end++;
            }
            String word = line.substring(i, end);
            String lower = word.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "up", "down", "stopped", "fail" -> health = word;
                case "ready", "drain", "maint" -> admin = lower;
                default -> {
                    if (Character.isDigit(word.charAt(0)) && word.indexOf('%') >= 0) {
                        weight = word;
                    } else if (lower.startsWith("maxconn:")) {
                        maxconn = word.substring("maxconn:".length());
                    } else if (error == null) {
                        error = word;
                    }
                }
            }
            i = end;
        }
        return new AgentReply(health, admin, weight, maxconn, error, description);
    }

    /** Whether the health word says the server is up (null: no health announced). */
    public Boolean up() {
        return health == null ? null : health.equalsIgnoreCase("up");
    }

    /**
     * The weight the {@code NN%} word asks for, from the configured {@code initial} weight (at most 256), or -1
     * when there is none or it is not a clean percentage.
     */
    public int weightFrom(int initial) {
        if (weight == null) {
            return -1;
        }
        int digits = 0;
        while (digits < weight.length() && Character.isDigit(weight.charAt(digits))) {
            digits++;
        }
        if (!weight.substring(digits).equals("%") || digits > 9) {
            return -1;
        }
        long percent = Math.min(25_600, Long.parseLong(weight.substring(0, digits)));
        return (int) Math.min(256, initial * percent / 100);
    }

    /** HAProxy's last_agt text and the status of the agent check this reply makes. */
    public CheckResult result(long durationMillis) {
        if (health != null) {
            boolean up = up();
            String message = description;
            if ((message.isEmpty() || up) && error != null) {
                message = error;
            }
            return new CheckResult(up ? CheckStatus.L7OK : CheckStatus.L7STS, 0,
                    "via agent : " + health + (message.isEmpty() ? "" : " (" + message + ")"), durationMillis);
        }
        if (error != null) {
            return new CheckResult(CheckStatus.CHECKED, 0, "agent reports an error : " + error, durationMillis);
        }
        return new CheckResult(CheckStatus.CHECKED, 0, "", durationMillis);
    }
}
