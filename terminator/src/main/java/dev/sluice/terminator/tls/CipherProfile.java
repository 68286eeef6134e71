package dev.sluice.terminator.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.netty.handler.ssl.OpenSsl;
import io.netty.internal.tcnative.SSL;
import io.netty.internal.tcnative.SSLContext;

/**
 * The cipher, suite and group choices of a frontend, resolved once at load: OpenSSL cipher-list
 * expressions are expanded by BoringSSL itself (so `ECDHE+AESGCM:!SHA1` means what it means to
 * the library that runs it), and choices BoringSSL cannot honour are refused, never ignored.
 */
public final class CipherProfile implements ClientHelloFacts.SuiteSet {
    public static final String TLS12 = "TLSv1.2";
    public static final String TLS13 = "TLSv1.3";

    /** Forward secrecy and AEAD only; ECDSA first as it is the cheaper signature. */
    public static final String DEFAULT_TLS12 = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
            + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    public static final List<String> DEFAULT_GROUPS = List.of("X25519", "P-256");
    /** BoringSSL's TLS 1.3 suites; it offers no switch to restrict them. */
    public static final Set<String> TLS13_SUITES = Set.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** TLS 1.2 ECDHE_ECDSA suites by IANA code, with BoringSSL's names. */
    private static final Map<Integer, String> ECDSA_SUITES = Map.of(
            0xC02B, "ECDHE-ECDSA-AES128-GCM-SHA256",
            0xC02C, "ECDHE-ECDSA-AES256-GCM-SHA384",
            0xCCA9, "ECDHE-ECDSA-CHACHA20-POLY1305",
            0xC009, "ECDHE-ECDSA-AES128-SHA",
            0xC00A, "ECDHE-ECDSA-AES256-SHA",
            0xC023, "ECDHE-ECDSA-AES128-SHA256",
            0xC024, "ECDHE-ECDSA-AES256-SHA384");

    private static final Map<String, String> GROUP_ALIASES = Map.of(
            "x25519", "X25519",
            "p-256", "P-256", "prime256v1", "P-256", "secp256r1", "P-256",
            "p-384", "P-384", "secp384r1", "P-384",
            "p-521", "P-521", "secp521r1", "P-521");

    private final List<String> tls12Ciphers;
    private final String[] groups;
    private final boolean[] ecdsaSuiteCodes;

    private CipherProfile(List<String> tls12Ciphers, String[] groups) {
        this.tls12Ciphers = List.copyOf(tls12Ciphers);
        this.groups = groups;
        this.ecdsaSuiteCodes = new boolean[0x10000];
        for (Map.Entry<Integer, String> suite : ECDSA_SUITES.entrySet()) {
            ecdsaSuiteCodes[suite.getKey()] = tls12Ciphers.contains(suite.getValue());
        }
    }

    /** Resolves the settings' cipher choices, or says which one cannot be honoured. */
    public static CipherProfile resolve(TlsSettings settings) throws TlsException {
        String expression = settings.ciphers() == null ? DEFAULT_TLS12 : settings.ciphers();
        List<String> tls12 = expand(expression);
        if (tls12.isEmpty() && settings.protocols().contains(TLS12)) {
            throw new TlsException("ciphers: \"" + expression + "\" selects no TLS 1.2 cipher");
        }
        checkTls13Suites(settings.ciphersuites());
        return new CipherProfile(tls12, groups(settings.curves()));
    }

    /** The TLS 1.2 ciphers in BoringSSL's names, in order. */
    public List<String> tls12Ciphers() {
        return tls12Ciphers;
    }

    /** All suites for Netty's builder: the TLS 1.2 list, then the TLS 1.3 suites. */
    public List<String> allCiphers() {
        List<String> all = new ArrayList<>(tls12Ciphers);
        all.addAll(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"));
        return all;
    }

    public String[] groups() {
        return groups.clone();
    }

    /** Whether {@code code} is a TLS 1.2 ECDSA suite this profile enables. */
    @Override
    public boolean contains(int code) {
        return enablesEcdsaSuite(code);
    }

    /** Whether {@code code} is a TLS 1.2 ECDSA suite this profile enables. */
    public boolean enablesEcdsaSuite(int code) {
        return code >= 0 && code < ecdsaSuiteCodes.length && ecdsaSuiteCodes[code];
    }

    /** Lets BoringSSL expand an OpenSSL cipher-list expression into cipher names. */
    static List<String> expand(String expression) throws TlsException {
        OpenSsl.ensureAvailability();
        long ctx = 0;
        long ssl = 0;
        try {
            ctx = SSLContext.make(SSL.SSL_PROTOCOL_TLSV1_2, SSL.SSL_MODE_SERVER);
            if (!SSLContext.setCipherSuite(ctx, expression, false)) {
                throw new TlsException("ciphers: \"" + expression + "\" is not a cipher list BoringSSL accepts");
            }
            ssl = SSL.newSSL(ctx, true);
            String[] names = SSL.getCiphers(ssl);
            Set<String> result = new LinkedHashSet<>();
            for (String name : names == null ? new String[0] : names) {
                if (!TLS13_SUITES.contains(name)) {
                    result.add(name);
                }
            }
            return List.copyOf(result);
        } catch (TlsException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsException("ciphers: \"" + expression + "\" is not a cipher list BoringSSL accepts: "
                    + e.getMessage(), e);
        } finally {
            if (ssl != 0) {
                SSL.freeSSL(ssl);
            }
            if (ctx != 0) {
                SSLContext.free(ctx);
            }
        }
    }

    /**
     * BoringSSL always enables its three TLS 1.3 suites and has no switch to restrict them, so a
     * list that leaves one out cannot be honoured: it is refused rather than silently widened.
     */
    static void checkTls13Suites(String ciphersuites) throws TlsException {
        if (ciphersuites == null || ciphersuites.isBlank()) {
            return;
        }
        Set<String> listed = new LinkedHashSet<>();
        for (String suite : ciphersuites.split(":")) {
            String name = suite.trim();
            if (!TLS13_SUITES.contains(name)) {
                throw new TlsException("ciphersuites: unknown TLS 1.3 suite \"" + name + "\" (expected: "
                        + String.join(", ", TLS13_SUITES) + ")");
            }
            listed.add(name);
        }
        if (!listed.containsAll(TLS13_SUITES)) {
            throw new TlsException("ciphersuites: \"" + ciphersuites + "\" leaves out a TLS 1.3 suite, but BoringSSL"
                    + " cannot disable TLS 1.3 suites; list all of " + String.join(":", TLS13_SUITES)
                    + " or leave ciphersuites unset");
        }
    }

    static String[] groups(List<String> curves) throws TlsException {
        if (curves.isEmpty()) {
            return DEFAULT_GROUPS.toArray(String[]::new);
        }
        List<String> groups = new ArrayList<>();
        for (String curve : curves) {
            String group = GROUP_ALIASES.get(curve.trim().toLowerCase(Locale.ROOT));
            if (group == null) {
                throw new TlsException("curves: unknown curve \"" + curve + "\" (expected: X25519, P-256, P-384,"
                        + " P-521 or their OpenSSL names prime256v1, secp384r1, secp521r1)");
            }
            if (!groups.contains(group)) {
                groups.add(group);
            }
        }
        return groups.toArray(String[]::new);
    }
}
