package dev.sluice.terminator.cli;

import dev.sluice.common.net.Endpoint;
import dev.sluice.terminator.cli.Collected.Assigned;
import dev.sluice.terminator.cli.Collected.FrontendSpec;
import dev.sluice.terminator.cli.Collected.PemSpec;
import dev.sluice.terminator.config.FrontendConfig;
import dev.sluice.terminator.config.ProxyMode;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.tls.PemSource;
import dev.sluice.terminator.tls.TlsSettings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The second pass: judges every collected value with its place, applies hitch's defaults and the
 * rules that span keys (one PROXY mode, a certificate per frontend), and builds the config.
 */
final class ConfigValidation {
    static final Endpoint DEFAULT_FRONTEND = Endpoint.parse("[*]:8443");
    static final Endpoint DEFAULT_BACKEND = Endpoint.parse("[127.0.0.1]:8000");
    static final int DEFAULT_BACKLOG = 100;
    static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(3600);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_OCSP_CONNECT_TIMEOUT = Duration.ofSeconds(4);
    static final Duration DEFAULT_OCSP_RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_OCSP_REFRESH = Duration.ofSeconds(1800);
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");
    static final int DEFAULT_LOG_LEVEL = 1;
    /** More worker processes than this is a typo: each one is a JVM pinned to its own CPU. */
    static final int MAX_WORKERS = 1024;
    private static final Set<String> FACILITIES = Set.of("auth", "authpriv", "cron", "daemon", "ftp", "kern",
            "lpr", "mail", "news", "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7");

    private final Collected collected;
    private final List<String> problems;
    private final Map<Key, Assigned> globals;
    private final List<FrontendSpec> frontends;
    private final List<PemSpec> pems;

    ConfigValidation(Collected collected) {
        this.collected = collected;
        this.problems = collected.problems;
        this.globals = collected.globals;
        this.frontends = collected.frontends;
        this.pems = collected.pems;
    }

    TerminatorConfig build() throws ConfigException {
        TerminatorConfig config = assemble();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    private void problem(Origin origin, String text) {
        collected.problem(origin, text);
    }

    private <T> T value(Map<Key, Assigned> from, Key key, Function<String, T> parser, T fallback) {
        return collected.value(from, key, parser, fallback);
    }

    private TerminatorConfig assemble() {
        Endpoint backend = value(globals, Key.BACKEND, Endpoint::parse, DEFAULT_BACKEND);
        int workers = value(globals, Key.WORKERS, Values::positive, 1);
        if (workers > MAX_WORKERS) {
            problem(globals.get(Key.WORKERS).origin(), "workers = " + workers + " is more than " + MAX_WORKERS
                    + " [workers]");
        }
        int backlog = value(globals, Key.BACKLOG, Values::integer, DEFAULT_BACKLOG);
        Duration keepalive = value(globals, Key.KEEPALIVE, Values::positiveSeconds, DEFAULT_KEEPALIVE);
        ProxyMode proxyMode = proxyMode();
        boolean proxyTlv = value(globals, Key.PROXY_TLV, Values::bool, true);
        boolean proxyAuthority = value(globals, Key.PROXY_AUTHORITY, Values::bool, true);
        Duration connectTimeout = value(globals, Key.BACKEND_CONNECT_TIMEOUT, Values::positiveSeconds,
                                        DEFAULT_CONNECT_TIMEOUT);
        Duration handshakeTimeout = value(globals, Key.SSL_HANDSHAKE_TIMEOUT, Values::positiveSeconds,
                                          DEFAULT_HANDSHAKE_TIMEOUT);
        Duration idleTimeout = value(globals, Key.IDLE_TIMEOUT, Values::seconds, Duration.ZERO);
        Duration drainTimeout = value(globals, Key.DRAIN_TIMEOUT, Values::seconds, DEFAULT_DRAIN_TIMEOUT);
        int receiveBuffer = value(globals, Key.RECV_BUFSIZE, Values::integer, -1);
        int sendBuffer = value(globals, Key.SEND_BUFSIZE, Values::integer, -1);
        String user = value(globals, Key.USER, Function.identity(), null);
        String group = value(globals, Key.GROUP, Function.identity(), null);
        int logLevel = logLevel();
        Path logFile = value(globals, Key.LOG_FILENAME, Path::of, null);
        Path pidFile = value(globals, Key.PIDFILE, Path::of, null);
        Endpoint metrics = value(globals, Key.METRICS, ConfigValidation::tcpEndpoint, null);
        if (value(globals, Key.SYSLOG, Values::bool, false)) {
            problem(globals.get(Key.SYSLOG).origin(), "'syslog = on' is not supported: logs go to stderr"
                    + " (journald collects them under systemd) or to log-filename [syslog]");
        }
        value(globals, Key.SYSLOG_FACILITY, ConfigValidation::facility, "daemon");

        List<FrontendConfig> built = frontends(handshakeTimeout);
        if (!problems.isEmpty()) {
            return null;
        }
        try {
            return new TerminatorConfig(built, backend, workers, backlog, keepalive, proxyMode, proxyTlv,
                    proxyAuthority, connectTimeout, handshakeTimeout, idleTimeout, drainTimeout, receiveBuffer,
                    sendBuffer, user, group, logLevel, logFile, pidFile, metrics);
        } catch (IllegalArgumentException e) {
            problems.add("configuration: " + e.getMessage());
            return null;
        }
    }

    private static Endpoint tcpEndpoint(String text) {
        Endpoint endpoint = Endpoint.parse(text);
        if (!(endpoint instanceof Endpoint.Inet)) {
            throw new IllegalArgumentException("'" + text + "': expected [HOST]:PORT");
        }
        return endpoint;
    }

    private static String facility(String name) {
        if (!FACILITIES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("invalid facility '" + name + "'");
        }
        return name;
    }

    private int logLevel() {
        Integer level = value(globals, Key.LOG_LEVEL, Values::integer, null);
        if (level != null && (level < 0 || level > 2)) {
            problem(globals.get(Key.LOG_LEVEL).origin(), "log-level: " + level + " (expected 0, 1 or 2)");
            return DEFAULT_LOG_LEVEL;
        }
        boolean quiet = value(globals, Key.QUIET, Values::bool, false);
        return level != null ? level : quiet ? 1 : DEFAULT_LOG_LEVEL;
    }

    /**
     * hitch allows one of write-ip, write-proxy-v1, write-proxy-v2 and proxy-proxy. Two switched on
     * in the same place is an error; one switched on by a flag replaces the file's choice.
     */
    private ProxyMode proxyMode() {
        Map<Key, ProxyMode> modes = new LinkedHashMap<>();
        modes.put(Key.WRITE_IP, ProxyMode.WRITE_IP);
        modes.put(Key.WRITE_PROXY_V1, ProxyMode.PROXY_V1);
        modes.put(Key.WRITE_PROXY_V2, ProxyMode.PROXY_V2);
        modes.put(Key.WRITE_PROXY, ProxyMode.PROXY_V2);
        modes.put(Key.PROXY_PROXY, ProxyMode.PROXY_PROXY);
        ProxyMode chosen = ProxyMode.NONE;
        for (ConfigBuilder.Layer layer : ConfigBuilder.Layer.values()) {
            List<Assigned> on = new ArrayList<>();
            ProxyMode layerMode = null;
            for (var entry : modes.entrySet()) {
                Assigned assigned = globals.get(entry.getKey());
                if (assigned != null && assigned.layer() == layer && value(globals, entry.getKey(), Values::bool, false)) {
                    on.add(assigned);
                    layerMode = entry.getValue();
                }
            }
            if (on.size() > 1) {
                problem(on.get(1).origin(), "write-ip, write-proxy-v1, write-proxy-v2 (write-proxy) and proxy-proxy"
                        + " are mutually exclusive (another is on at " + on.get(0).origin() + ")");
            } else if (layerMode != null) {
                chosen = layerMode;
            } else if (layer == ConfigBuilder.Layer.FLAGS && modeSwitchedOff(modes, chosen)) {
                chosen = ProxyMode.NONE;
            }
        }
        return chosen;
    }

    private boolean modeSwitchedOff(Map<Key, ProxyMode> modes, ProxyMode chosen) {
        return modes.entrySet().stream().anyMatch(entry -> entry.getValue() == chosen
                && globals.get(entry.getKey()) != null && globals.get(entry.getKey()).layer() == ConfigBuilder.Layer.FLAGS);
    }

    private List<FrontendConfig> frontends(Duration handshakeTimeout) {
        List<PemSource> global = pemSources(pems, true);
        List<FrontendSpec> specs = frontends.isEmpty()
                ? List.of(new FrontendSpec(Origin.flag("default frontend"), DEFAULT_FRONTEND.toString()))
                : frontends;
        List<FrontendConfig> built = new ArrayList<>();
        for (FrontendSpec spec : specs) {
            Endpoint address = frontendAddress(spec);
            List<PemSource> own = pemSources(spec.pems, false);
            List<PemSource> offered = new ArrayList<>(own);
            if (own.isEmpty() || value(spec.values, Key.MATCH_GLOBAL_CERTS, Values::bool, false)) {
                offered.addAll(global);
            }
            if (offered.isEmpty()) {
                problem(spec.origin, "no certificate for frontend " + (address == null ? spec.inline : address)
                        + ": give pem-file (or a PEM argument, or [HOST]:PORT+CERT)");
            }
            Function<List<PemSource>, TlsSettings> tls = tlsSettings(spec, handshakeTimeout);
            if (address == null || offered.isEmpty()) {
                continue;
            }
            try {
                built.add(new FrontendConfig(address, tls.apply(offered)));
            } catch (IllegalArgumentException e) {
                // TlsSettings checks its own invariants too; anything it refuses is named here.
                problem(spec.origin, "frontend " + address + ": " + e.getMessage());
            }
        }
        return built;
    }

    private Endpoint frontendAddress(FrontendSpec spec) {
        try {
            if (spec.inline != null) {
                String text = spec.inline;
                int plus = text.indexOf('+', Math.max(0, text.lastIndexOf(']')));
                if (plus >= 0) {
                    spec.pems.add(new PemSpec(text.substring(plus + 1), null, spec.origin));
                    text = text.substring(0, plus);
                }
                Endpoint endpoint = Endpoint.parse(text);
                if (!(endpoint instanceof Endpoint.Inet)) {
                    throw new IllegalArgumentException("'" + text + "': a frontend listens on [HOST]:PORT");
                }
                return endpoint;
            }
            Assigned port = spec.values.get(Key.PORT);
            if (port == null) {
                problem(spec.origin, "frontend block without 'port'");
                return null;
            }
            String host = value(spec.values, Key.HOST, Function.identity(), "*");
            return Endpoint.parse("[" + (host.isEmpty() ? "*" : host) + "]:" + port.value());
        } catch (IllegalArgumentException e) {
            problem(spec.origin, "frontend: " + e.getMessage());
            return null;
        }
    }

    /**
     * Turns pem-file settings into sources, the default certificate first. In hitch the default is
     * the last pem-file given; pem-dir files come after them, and without any pem-file the first
     * file of pem-dir is the default.
     */
    private List<PemSource> pemSources(List<PemSpec> specs, boolean withDirectory) {
        List<PemSource> sources = new ArrayList<>();
        for (PemSpec spec : specs) {
            Path cert = readable(spec.cert(), spec.origin());
            Path key = spec.key() == null ? null : readable(spec.key(), spec.origin());
            if (cert != null && (spec.key() == null || key != null)) {
                sources.add(new PemSource(cert, key));
            }
        }
        if (!sources.isEmpty()) {
            sources.addFirst(sources.removeLast());
        }
        if (withDirectory) {
            sources.addAll(pemDirectory());
        }
        return sources;
    }

    private List<PemSource> pemDirectory() {
        Assigned dir = globals.get(Key.PEM_DIR);
        if (dir == null || dir.value().isEmpty()) {
            return List.of();
        }
        String glob = value(globals, Key.PEM_DIR_GLOB, Function.identity(), "*");
        List<PemSource> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir.value()), glob)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    found.add(new PemSource(file, null));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            problem(dir.origin(), "pem-dir: cannot list '" + dir.value() + "': " + e.getMessage());
        }
        found.sort((a, b) -> a.certPath().getFileName().toString().compareTo(b.certPath().getFileName().toString()));
        return found;
    }

    private Path readable(String file, Origin origin) {
        if (file == null || file.isEmpty()) {
            problem(origin, "empty file name");
            return null;
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            problem(origin, "'" + file + "' is not a file");
            return null;
        }
        if (!Files.isReadable(path)) {
            problem(origin, "'" + file + "' is not readable");
            return null;
        }
        return path;
    }

    /**
     * Reads a frontend's TLS values (recording any problem, even when the frontend cannot be built
     * for another reason) and returns how to make its settings once its certificates are known.
     */
    private Function<List<PemSource>, TlsSettings> tlsSettings(FrontendSpec spec, Duration handshakeTimeout) {
        List<String> protocols = frontendOrGlobal(spec, Key.TLS_PROTOS, Values::tlsProtocols, DEFAULT_PROTOCOLS);
        String ciphers = frontendOrGlobal(spec, Key.CIPHERS, Function.identity(), null);
        String ciphersuites = frontendOrGlobal(spec, Key.CIPHERSUITES, Function.identity(), null);
        boolean preferServer = frontendOrGlobal(spec, Key.PREFER_SERVER_CIPHERS, Values::bool, false);
        boolean sniAbort = frontendOrGlobal(spec, Key.SNI_NOMATCH_ABORT, Values::bool, false);
        List<String> curves = value(globals, Key.ECDH_CURVE, Values::curves, List.of());
        List<String> alpn = value(globals, Key.ALPN_PROTOS, Values::alpn, List.of());
        Path ocspDir = value(globals, Key.OCSP_DIR, text -> text.isEmpty() ? null : directory(text), null);
        Duration ocspConnect = value(globals, Key.OCSP_CONNECT_TMO, Values::positiveSeconds, DEFAULT_OCSP_CONNECT_TIMEOUT);
        Duration ocspResponse = value(globals, Key.OCSP_RESP_TMO, Values::positiveSeconds, DEFAULT_OCSP_RESPONSE_TIMEOUT);
        Duration ocspRefresh = value(globals, Key.OCSP_REFRESH_INTERVAL, Values::positiveSeconds, DEFAULT_OCSP_REFRESH);
        boolean ocspVerify = value(globals, Key.OCSP_VERIFY_STAPLE, Values::bool, false);
        Path ticketKeys = value(globals, Key.TICKET_KEY_FILE, text -> readableOrThrow(text), null);
        return offered -> new TlsSettings(List.copyOf(offered), protocols, ciphers, ciphersuites, curves, preferServer,
                alpn, sniAbort, ocspDir, ocspConnect, ocspResponse, ocspRefresh, ocspVerify, ticketKeys, handshakeTimeout);
    }

    private static Path directory(String text) {
        Path path = Path.of(text);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("'" + text + "' is not a directory");
        }
        return path;
    }

    private static Path readableOrThrow(String text) {
        Path path = Path.of(text);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException("'" + text + "' is not a readable file");
        }
        return path;
    }

    private <T> T frontendOrGlobal(FrontendSpec spec, Key key, Function<String, T> parser, T fallback) {
        return spec.values.containsKey(key) ? value(spec.values, key, parser, fallback)
                                            : value(globals, key, parser, fallback);
    }
}
