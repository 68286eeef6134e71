package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.runtime.ServerTls;
import dev.sluice.balancer.runtime.ServerTls.TlsVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The server keywords of TLS to servers ({@code ssl}, {@code verify}, {@code ca-file}, {@code crt},
 * {@code sni}, {@code alpn}, {@code ciphers}, versions, {@code check-ssl}…) and the {@code global}
 * defaults they start from, with HAProxy 2.6's meanings. Files are looked at on their line, as HAProxy
 * does; the whole context is built once more when the server line ends ({@link #validate}).
 */
final class ServerTlsKeywords {

    @FunctionalInterface
    interface Setter {
        void set(Draft draft, String value) throws ConfigException;
    }

    /** Versions in the order HAProxy's {@code no-tlsv1x}/{@code force-tlsv1x} flags name them. */
    private static final Map<String, TlsVersion> FLAG_VERSIONS = new LinkedHashMap<>();

    static final Map<String, Consumer<Draft>> FLAGS = new LinkedHashMap<>();
    static final Map<String, Setter> VALUES = new LinkedHashMap<>();

    static {
        FLAG_VERSIONS.put("sslv3", TlsVersion.SSL3);
        FLAG_VERSIONS.put("tlsv10", TlsVersion.TLS1_0);
        FLAG_VERSIONS.put("tlsv11", TlsVersion.TLS1_1);
        FLAG_VERSIONS.put("tlsv12", TlsVersion.TLS1_2);
        FLAG_VERSIONS.put("tlsv13", TlsVersion.TLS1_3);
        FLAGS.put("ssl", d -> d.enabled = true);
        FLAGS.put("no-ssl", d -> d.enabled = false);
        FLAGS.put("no-ssl-reuse", d -> d.reuse = false);
        FLAGS.put("ssl-reuse", d -> d.reuse = true);
        FLAGS.put("check-ssl", d -> d.checkSsl = true);
        FLAGS.put("no-check-ssl", d -> d.checkSsl = false);
        FLAG_VERSIONS.forEach((name, version) -> {
            FLAGS.put("force-" + name, d -> d.force(version));
            FLAGS.put("no-" + name, d -> d.disabled.add(version));
        });
        VALUES.put("verify", (d, v) -> d.verify = verify(v, "verify"));
        VALUES.put("ca-file", (d, v) -> d.caFile = Optional.of(readable(d.defaults.caBase, v, "ca-file")));
        VALUES.put("crt", (d, v) -> d.crt = Optional.of(readable(d.defaults.crtBase, v, "crt")));
        VALUES.put("sni", (d, v) -> d.sni = Optional.of(v));
        VALUES.put("verifyhost", (d, v) -> d.verifyHost = Optional.of(v));
        VALUES.put("alpn", (d, v) -> d.alpn = alpn(v, "alpn"));
        VALUES.put("ciphers", (d, v) -> d.ciphers = Optional.of(v));
        VALUES.put("ciphersuites", (d, v) -> d.ciphersuites = Optional.of(v));
        // An explicit bound replaces the no-tlsv1x flags met before (ssl-default-server-options' ones too).
        VALUES.put("ssl-min-ver", (d, v) -> {
            d.min = version(v);
            d.disabled.clear();
        });
        VALUES.put("ssl-max-ver", (d, v) -> {
            d.max = version(v);
            d.disabled.clear();
        });
        VALUES.put("check-sni", (d, v) -> d.checkSni = Optional.of(v));
        VALUES.put("check-alpn", (d, v) -> d.checkAlpn = alpn(v, "check-alpn"));
    }

    private ServerTlsKeywords() {
    }

    static boolean verify(String word, String keyword) throws ConfigException {
        return switch (word) {
            case "none" -> false;
            case "required" -> true;
            default -> throw new ConfigException("'" + keyword + "' expects 'none' or 'required' (got '" + word + "')");
        };
    }

    static TlsVersion version(String word) throws ConfigException {
        TlsVersion version = TlsVersion.of(word);
        if (version == null) {
            throw new ConfigException("'" + word + "' : unknown ssl/tls version (expected: SSLv3, TLSv1.0, TLSv1.1, "
                    + "TLSv1.2 or TLSv1.3)");
        }
        return version;
    }

    /** A comma-separated list of protocol names, each 1 to 255 bytes as ALPN requires. */
    private static List<String> alpn(String list, String keyword) throws ConfigException {
        List<String> names = Arrays.asList(list.split(",", -1));
        for (String name : names) {
            if (name.isEmpty() || name.length() > 255) {
                throw new ConfigException("'" + keyword + "' : invalid protocol name '" + name + "' in '" + list
                        + "' (each name is 1 to 255 characters)");
            }
        }
        return List.copyOf(names);
    }

    /** {@code ca-base}/{@code crt-base} prefix a relative path, as HAProxy does; the file must be readable now. */
    private static Path readable(String base, String written, String keyword) throws ConfigException {
        Path path = base != null && !written.startsWith("/") ? Path.of(base, written) : Path.of(written);
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new ConfigException("'" + keyword + "' : unable to load '" + path + "' (not a readable file)");
        }
        return path;
    }

    /**
     * What a finished {@code server} line's TLS would build to: an error at the line (a cipher string
     * BoringSSL refuses, a certificate it cannot load, {@code verify required} without a CA file),
     * rather than at start.
     */
    static void validate(dev.sluice.balancer.config.model.ServerOptions options, String who, String proxy,
                         dev.sluice.balancer.config.model.Mode mode) throws ConfigException {
        ServerTls tls = options.tls();
        if (!tls.used()) {
            return;
        }
        if (mode == dev.sluice.balancer.config.model.Mode.HTTP && tls.enabled() && tls.alpn().contains("h2")
                && tls.alpn().size() > 1
                && options.connections().protocol() != dev.sluice.balancer.runtime.ServerProtocol.H2) {
            // HAProxy picks the connection's mux from the protocol the server chose; ours is picked before.
            throw new ConfigException("'" + who + "' : 'alpn " + String.join(",", tls.alpn()) + "' is not supported "
                    + "yet in an HTTP backend (the server's choice would decide between HTTP/2 and HTTP/1.1); use "
                    + "'alpn h2' or 'alpn http/1.1'");
        }
        if (tls.enabled() && options.connections().proxyLine().enabled()) {
            throw new ConfigException("'" + who + "' : 'ssl' with 'send-proxy'/'send-proxy-v2' is not supported yet "
                    + "(the PROXY header would have to go before the TLS handshake)");
        }
        if (tls.verify() && tls.caFile().isEmpty()) {
            throw new ConfigException("'" + who + "' : verify is enabled by default but no CA file specified. If "
                    + "you're running on a LAN where you're certain to trust the server's certificate, please set an "
                    + "explicit 'verify none' statement on the 'server' line, or use 'ssl-server-verify none' in the "
                    + "global section to disable server-side verifications by default.");
        }
        try {
            dev.sluice.balancer.tls.ServerTlsContext.check(tls, proxy);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + who + "' : " + e.getMessage());
        }
    }

    /** The {@code global} TLS settings servers start from; kept by the parser and read at each server line. */
    static final class Defaults {
        String caBase;
        String crtBase;
        boolean verify = true;
        Optional<String> ciphers = Optional.empty();
        Optional<String> ciphersuites = Optional.empty();
        /** {@code ssl-default-server-options}, applied to each server before its own keywords. */
        List<String> options = List.of();
    }

    /** TLS settings while a {@code server} or {@code default-server} line is read. */
    static final class Draft {
        final Defaults defaults;
        boolean enabled;
        Boolean verify;
        Optional<Path> caFile;
        Optional<Path> crt;
        Optional<String> sni;
        Optional<String> verifyHost;
        List<String> alpn;
        Optional<String> ciphers;
        Optional<String> ciphersuites;
        TlsVersion min;
        TlsVersion max;
        final List<TlsVersion> disabled = new ArrayList<>();
        boolean reuse;
        Boolean checkSsl;
        Optional<String> checkSni;
        List<String> checkAlpn;

        /** @param from the {@code default-server} settings, or {@link ServerTls#NONE} when there is none */
        Draft(ServerTls from, Defaults defaults) throws ConfigException {
            this.defaults = defaults;
            // A default-server's settings already started from the global ones.
            boolean inherited = from != ServerTls.NONE;
            enabled = from.enabled();
            verify = inherited ? from.verify() : null;
            caFile = from.caFile();
            crt = from.crt();
            sni = from.sni();
            verifyHost = from.verifyHost();
            alpn = from.alpn();
            ciphers = inherited ? from.ciphers() : defaults.ciphers;
            ciphersuites = inherited ? from.ciphersuites() : defaults.ciphersuites;
            min = from.minVersion();
            max = from.maxVersion();
            reuse = from.reuse();
            checkSsl = from.check().written().orElse(null);
            checkSni = from.check().sni();
            checkAlpn = from.check().alpn();
            if (!inherited) {
                applyOptions(defaults.options);
            }
        }

        /** {@code ssl-default-server-options}: the same words as the server keywords. */
        private void applyOptions(List<String> options) throws ConfigException {
            for (int i = 0; i < options.size(); i++) {
                String option = options.get(i);
                if (option.equals("ssl-min-ver") || option.equals("ssl-max-ver")) {
                    VALUES.get(option).set(this, options.get(++i));
                } else if (!option.equals(TlsDefaultKeywords.NO_TLS_TICKETS)) { // warned about at its line

                    FLAGS.get(option).accept(this);
                }
            }
        }

        void force(TlsVersion version) {
            min = version;
            max = version;
            disabled.clear();
        }

        /**
         * @param checked       the server has {@code check}
         * @param implicitCheck the health checks go to the server's own address and port, so {@code ssl}
         *                      makes them TLS too unless {@code no-check-ssl}
         */
        ServerTls build(boolean checked, boolean implicitCheck) throws ConfigException {
            TlsVersion low = min;
            TlsVersion high = max;
            // no-tlsv1x narrows the range from either end; HAProxy refuses a hole in the middle.
            while (disabled.contains(low) && low.compareTo(high) < 0) {
                low = TlsVersion.values()[low.ordinal() + 1];
            }
            while (disabled.contains(high) && high.compareTo(low) > 0) {
                high = TlsVersion.values()[high.ordinal() - 1];
            }
            for (TlsVersion version : disabled) {
                if (version.compareTo(low) >= 0 && version.compareTo(high) <= 0) {
                    throw new ConfigException("'no-" + version.keyword().toLowerCase().replace(".", "") + "' leaves "
                            + "every version of " + low.keyword() + ".." + high.keyword() + " disabled or a hole in "
                            + "it; use 'ssl-min-ver' and 'ssl-max-ver'");
                }
            }
            if (low.compareTo(high) > 0) {
                throw new ConfigException("'ssl-min-ver' " + low.keyword() + " is above 'ssl-max-ver' "
                        + high.keyword());
            }
            boolean checks = checked && (checkSsl != null ? checkSsl : enabled && implicitCheck);
            return new ServerTls(enabled, verify != null ? verify : defaults.verify, caFile, crt, sni, verifyHost,
                    alpn, ciphers, ciphersuites, low, high, reuse,
                    new ServerTls.Check(checks, Optional.ofNullable(checkSsl), checkSni, checkAlpn));
        }
    }
}
