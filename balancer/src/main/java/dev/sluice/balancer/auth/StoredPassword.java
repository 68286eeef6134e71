package dev.sluice.balancer.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Crypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A {@code userlist} password as HAProxy checks it: a crypt(3) hash ({@code user NAME password
 * HASH}) or clear text ({@code insecure-password}). The hash's scheme is recognised when the
 * configuration is read, so a typo or a scheme this balancer cannot check is refused there rather
 * than failing every login at run time.
 *
 * <p>Verification is deliberately slow for the hashed schemes (that is their point): callers cache
 * the outcome per Authorization header ({@link Userlist}); a hash above {@link #MAX_SHA_ROUNDS} or
 * {@link #MAX_BCRYPT_COST} is accepted, as HAProxy accepts it, with a warning ({@link #costWarning}):
 * each first check of a header stalls its event loop for that long.
 */
public record StoredPassword(Scheme scheme, String text) {

    /** The schemes recognised by their crypt(3) prefix. */
    public enum Scheme {
        CLEAR("insecure-password"), MD5_CRYPT("$1$"), SHA256_CRYPT("$5$"), SHA512_CRYPT("$6$"), BCRYPT("$2a$/$2b$/$2y$");

        private final String label;

        Scheme(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * SHA-crypt rounds a hash may ask for. Measured on the 2-CPU test machine (JDK 25, warm;
     * {@code PasswordCostBench}): one check at the default 5,000 rounds costs 0.55–0.7 ms ($5$) to
     * 1.0–1.1 ms ($6$), MD5-crypt 0.16 ms, and a cached header a few ns; so
     * 50,000 rounds cost a check about 11 ms of an event loop's time.
     */
    public static final int MAX_SHA_ROUNDS = 50_000;
    /**
     * bcrypt cost (log2 of the rounds) a hash may ask for. Measured the same way: cost 5 (htpasswd's
     * default) 2.4 ms, 8 12 ms, 10 48 ms, 12 190 ms; above 8 one check stalls every connection
     * of its event loop noticeably.
     */
    public static final int MAX_BCRYPT_COST = 8;

    private static final String B64 = "[./0-9A-Za-z]";
    private static final Pattern MD5 = Pattern.compile("\\$1\\$" + B64 + "{0,8}\\$" + B64 + "{22}");
    private static final Pattern SHA = Pattern.compile("\\$([56])\\$(rounds=([0-9]{1,10})\\$)?" + B64 + "{0,16}\\$("
            + B64 + "+)");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$" + B64 + "{53}");
    private static final int SHA256_LENGTH = 43;
    private static final int SHA512_LENGTH = 86;

    public StoredPassword {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(text, "text");
    }

    /** {@code insecure-password TEXT}. */
    public static StoredPassword clear(String text) {
        return new StoredPassword(Scheme.CLEAR, text);
    }

    /**
     * {@code password HASH}.
     *
     * @throws IllegalArgumentException with the reason when the hash is malformed, of an unknown
     *                                  scheme, or too costly to check on an event loop
     */
    public static StoredPassword hashed(String hash) {
        if (MD5.matcher(hash).matches()) {
            return new StoredPassword(Scheme.MD5_CRYPT, hash);
        }
        var sha = SHA.matcher(hash);
        if (sha.matches()) {
            boolean sha256 = sha.group(1).equals("5");
            int expected = sha256 ? SHA256_LENGTH : SHA512_LENGTH;
            if (sha.group(4).length() != expected) {
                throw new IllegalArgumentException("malformed $" + sha.group(1) + "$ hash: the digest part has "
                        + sha.group(4).length() + " characters (expected: " + expected + ")");
            }
            return new StoredPassword(sha256 ? Scheme.SHA256_CRYPT : Scheme.SHA512_CRYPT, hash);
        }
        var bcrypt = BCRYPT.matcher(hash);
        if (bcrypt.matches()) {
            int cost = Integer.parseInt(bcrypt.group(1));
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("bcrypt cost " + cost + " out of range (expected: 4 to 31)");
            }
            return new StoredPassword(Scheme.BCRYPT, hash);
        }
        throw new IllegalArgumentException("unsupported or malformed password hash '" + abbreviate(hash)
                + "' (expected crypt(3) $1$ MD5, $5$ SHA-256, $6$ SHA-512 or $2a$/$2b$/$2y$ bcrypt; "
                + "or use insecure-password)");
    }

    /**
     * Why checking this hash will be costly enough to stall an event loop (SHA-crypt with more than
     * {@link #MAX_SHA_ROUNDS} rounds, bcrypt above cost {@link #MAX_BCRYPT_COST}), or {@code null}.
     */
    public String costWarning() {
        long work = switch (scheme) {
            case SHA256_CRYPT, SHA512_CRYPT -> {
                var sha = SHA.matcher(text);
                yield sha.matches() && sha.group(3) != null ? Long.parseLong(sha.group(3)) : 5_000;
            }
            case BCRYPT -> Integer.parseInt(text.substring(4, 6));
            default -> 0;
        };
        boolean costly = scheme == Scheme.BCRYPT ? work > MAX_BCRYPT_COST
                : (scheme == Scheme.SHA256_CRYPT || scheme == Scheme.SHA512_CRYPT) && work > MAX_SHA_ROUNDS;
        if (!costly) {
            return null;
        }
        return (scheme == Scheme.BCRYPT ? "bcrypt cost " + work : scheme.label() + " rounds=" + work)
                + " makes each first check of a client's credentials stall its event loop (about "
                + (scheme == Scheme.BCRYPT ? (12L << (work - 8)) + " ms" : "0.2 ms per 1,000 rounds")
                + "); results are cached per Authorization header";
    }

    /** Whether {@code password} is this one; slow for hashed schemes (see the class comment). */
    public boolean matches(String password) {
        return switch (scheme) {
            case CLEAR -> constantTimeEquals(text, password);
            case MD5_CRYPT, SHA256_CRYPT, SHA512_CRYPT -> constantTimeEquals(text, Crypt.crypt(password, text));
            // OpenBSDBCrypt reads 72 bytes of UTF-8 at most, as crypt(3) does.
            case BCRYPT -> OpenBSDBCrypt.checkPassword(text, password.toCharArray());
        };
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The scheme and salt part only: a message never shows a whole hash. */
    private static String abbreviate(String hash) {
        return hash.length() <= 8 ? hash : hash.substring(0, 8) + "…";
    }

    @Override
    public String toString() {
        return scheme.label();
    }
}
