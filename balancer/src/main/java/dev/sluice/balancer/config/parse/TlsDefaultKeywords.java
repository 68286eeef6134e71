package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code global} TLS defaults. Those of servers ({@code ca-base}, {@code crt-base},
 * {@code ssl-server-verify}, {@code ssl-default-server-*}) are kept for the server lines that follow,
 * as HAProxy reads them. Those of binds only shape {@code ssl} binds, which sluice-balancer refuses at
 * their own lines, so they are checked as HAProxy checks them (option names, numbers, readable files)
 * and then only noted: Debian's default haproxy.cfg carries several, and it must load unchanged.
 */
final class TlsDefaultKeywords {

    static final String NO_TLS_TICKETS = "no-tls-tickets";

    /** HAProxy refuses Diffie-Hellman parameters below 1024 bits. */
    static final int MIN_DH_BITS = 1_024;

    private static final Set<String> VERSIONS = Set.of("SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final Set<String> COMMON_OPTIONS = Set.of("no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12",
            "no-tlsv13", "force-sslv3", "force-tlsv10", "force-tlsv11", "force-tlsv12", "force-tlsv13",
            "no-tls-tickets");
    private static final Set<String> BIND_ONLY = Set.of("prefer-client-ciphers");

    private TlsDefaultKeywords() {
    }

    static KeywordTable<GlobalDraft> register(KeywordTable<GlobalDraft> table) {
        for (String name : new String[] {"ssl-default-bind-ciphers", "ssl-default-bind-ciphersuites"}) {
            table.add(name, 1, 1, Scope.ALL, TlsDefaultKeywords::noted);
        }
        return table
                .add("ssl-default-server-ciphers", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.serverTls.ciphers = java.util.Optional.of(line.word(1)))
                .add("ssl-default-server-ciphersuites", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.serverTls.ciphersuites = java.util.Optional.of(line.word(1)))
                .add("ca-base", 1, 1, Scope.ALL, (line, global, diagnostics) -> global.serverTls.caBase = line.word(1))
                .add("crt-base", 1, 1, Scope.ALL, (line, global, diagnostics) -> global.serverTls.crtBase = line.word(1))
                .add("ssl-default-bind-options", 1, Keyword.ANY, Scope.ALL, (line, global, diagnostics) -> {
                    options(line, true);
                    noted(line, global, diagnostics);
                })
                .add("ssl-default-server-options", 1, Keyword.ANY, Scope.ALL, (line, global, diagnostics) -> {
                    options(line, false);
                    global.serverTls.options = line.args();
                    if (line.args().contains(NO_TLS_TICKETS)) {
                        diagnostics.warning(line.location(), "'" + NO_TLS_TICKETS + "' in '" + line.keyword()
                                + "' has no effect: BoringSSL through netty-tcnative offers no switch for a client's "
                                + "session tickets");
                    }
                })
                .add("ssl-dh-param-file", 1, 1, Scope.ALL, TlsDefaultKeywords::dhParamFile)
                .add("tune.ssl.default-dh-param", 1, 1, Scope.ALL, (line, global, diagnostics) -> {
                    Units.integer(line.word(1), "'tune.ssl.default-dh-param'", MIN_DH_BITS, Integer.MAX_VALUE);
                    noted(line, global, diagnostics);
                })
                .add("tune.ssl.cachesize", 1, 1, Scope.ALL, (line, global, diagnostics) -> {
                    Units.integer(line.word(1), "'tune.ssl.cachesize'", 0, Integer.MAX_VALUE);
                    noted(line, global, diagnostics);
                })
                .add("maxsslconn", 1, 1, Scope.ALL, (line, global, diagnostics) -> {
                    Units.integer(line.word(1), "'maxsslconn'", 0, Integer.MAX_VALUE);
                    noted(line, global, diagnostics);
                })
                .add("tune.ssl.lifetime", 1, 1, Scope.ALL, (line, global, diagnostics) -> {
                    Units.time(line.word(1));
                    noted(line, global, diagnostics);
                })
                .add("ssl-server-verify", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                        global.serverTls.verify = ServerTlsKeywords.verify(line.word(1), "ssl-server-verify"));
    }

    private static void noted(Line line, GlobalDraft global, Diagnostics diagnostics) {
        diagnostics.notice(line.location(), "'" + line.keyword() + "' accepted: it applies only to 'ssl' binds, "
                + "which sluice-balancer does not have (TLS from clients ends in sluice-terminator)");
    }

    /** Every option must be one HAProxy knows for binds (or servers); versions follow their option. */
    private static void options(Line line, boolean bind) throws ConfigException {
        var args = line.args();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("ssl-min-ver") || option.equals("ssl-max-ver")) {
                if (i + 1 >= args.size() || !VERSIONS.contains(args.get(i + 1))) {
                    throw new ConfigException("'" + line.keyword() + "' option '" + option + "' expects one of "
                            + "SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3"
                            + (i + 1 < args.size() ? " (got '" + args.get(i + 1) + "')" : ""));
                }
                i++;
            } else if (!COMMON_OPTIONS.contains(option) && !(bind && BIND_ONLY.contains(option))) {
                throw new ConfigException("unknown option '" + option + "' on '" + line.keyword() + "' (expected: "
                        + "no-sslv3, no-tlsv10..no-tlsv13, force-sslv3, force-tlsv10..force-tlsv13, ssl-min-ver V, "
                        + "ssl-max-ver V, no-tls-tickets" + (bind ? ", prefer-client-ciphers" : "") + ")");
            }
        }
    }

    /** HAProxy reads the file at this line; an unreadable one is an error there too. */
    private static void dhParamFile(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        Path file = Path.of(line.word(1));
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new ConfigException("'ssl-dh-param-file': cannot read '" + file + "'");
        }
        noted(line, global, diagnostics);
    }
}
