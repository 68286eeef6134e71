package dev.sluice.terminator.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parsers for option values; each throws {@link IllegalArgumentException} saying what was expected. */
final class Values {
    private static final Set<String> TRUE = Set.of("on", "yes", "y", "true", "t", "1");
    private static final Set<String> FALSE = Set.of("off", "no", "n", "false", "f", "0");
    /** An ALPN protocol name is at most 255 bytes (RFC 7301, section 3.1). */
    static final int MAX_ALPN_NAME = 255;

    private Values() {
    }

    static boolean bool(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return true;
        }
        if (FALSE.contains(lower)) {
            return false;
        }
        throw new IllegalArgumentException("'" + value + "' is not on or off");
    }

    static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a whole number");
        }
    }

    static int positive(String value) {
        int number = integer(value);
        if (number < 1) {
            throw new IllegalArgumentException(number + " is not a positive number");
        }
        return number;
    }

    /** Seconds, with an optional fraction ({@code 4.0}, {@code 0.5}); never negative. */
    static Duration seconds(String value) {
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number of seconds");
        }
        if (seconds.signum() < 0) {
            throw new IllegalArgumentException("'" + value + "' is negative (expected seconds >= 0)");
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    static Duration positiveSeconds(String value) {
        Duration duration = seconds(value);
        if (duration.isZero()) {
            throw new IllegalArgumentException("'" + value + "' must be more than 0 seconds");
        }
        return duration;
    }

    /** Tokens separated by commas, colons or white space, empty ones dropped. */
    static List<String> list(String value, String separators) {
        return Arrays.stream(value.split("[" + separators + "\\s]+"))
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .toList();
    }

    /** hitch's tls-protos tokens; only TLS 1.2 and 1.3 are offered. */
    static List<String> tlsProtocols(String value) {
        List<String> tokens = list(value, ",");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("no protocol given (expected TLSv1.2 and/or TLSv1.3)");
        }
        for (String token : tokens) {
            switch (token) {
                case "TLSv1.2", "TLSv1.3" -> { }
                case "SSLv3", "TLSv1.0", "TLSv1.1" -> throw new IllegalArgumentException(
                        token + " is not offered: it is obsolete and insecure (RFC 8996); use TLSv1.2 and TLSv1.3");
                default -> throw new IllegalArgumentException(
                        "unknown protocol '" + token + "' (expected TLSv1.2 and/or TLSv1.3)");
            }
        }
        return tokens.stream().distinct().toList();
    }

    static List<String> alpn(String value) {
        List<String> protocols = list(value, ",");
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no protocol given (e.g. h2,http/1.1)");
        }
        for (String protocol : protocols) {
            if (protocol.length() > MAX_ALPN_NAME) {
                throw new IllegalArgumentException("ALPN name longer than " + MAX_ALPN_NAME + " bytes: " + protocol);
            }
        }
        return protocols;
    }

    /** {@code auto} (or empty) leaves the choice to the TLS library: the empty list. */
    static List<String> curves(String value) {
        return "auto".equalsIgnoreCase(value.trim()) ? List.of() : list(value, ":,");
    }
}
