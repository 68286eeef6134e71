package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.AclLine;
import dev.sluice.balancer.config.model.BackendRef;
import dev.sluice.balancer.config.model.Balance;
import dev.sluice.balancer.config.model.Bind;
import dev.sluice.balancer.config.model.ConnectionMode;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.config.model.ForwardFor;
import dev.sluice.balancer.config.model.LogExtras;
import dev.sluice.balancer.config.model.LogFormat;
import dev.sluice.balancer.config.model.LogSettings;
import dev.sluice.balancer.config.model.LogTarget;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.ProxyKind;
import dev.sluice.balancer.config.model.ProxyOptions;
import dev.sluice.balancer.config.model.Server;
import dev.sluice.balancer.config.model.ServerOptions;
import dev.sluice.balancer.config.model.Timeouts;
import dev.sluice.balancer.lb.HashType;
import dev.sluice.balancer.runtime.CookiePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A proxy or {@code defaults} section while it is read. A proxy starts as a copy of its defaults,
 * as in HAProxy; {@code bind}, {@code server}, {@code acl} and {@code use_backend} are never inherited.
 */
final class ProxyDraft {

    final SourceLocation location;
    /** Null for a {@code defaults} section. */
    final ProxyKind kind;
    final String name;

    Mode mode = Mode.TCP;
    final List<Bind> binds = new ArrayList<>();
    int maxconn;
    Optional<BackendRef> defaultBackend = Optional.empty();
    final List<BackendRef> useBackends = new ArrayList<>();
    final List<Server> servers = new ArrayList<>();
    ServerOptions defaultServer = ServerOptions.DEFAULTS;
    /** The {@code global} TLS settings servers start from (set by the Parser). */
    ServerTlsKeywords.Defaults tlsDefaults = new ServerTlsKeywords.Defaults();
    Balance balance = Balance.ROUND_ROBIN;
    HashType hashType = HashType.DEFAULT;
    int hashBalanceFactor;
    boolean allBackups;
    Timeouts timeouts = Timeouts.NONE;
    Optional<ForwardFor> forwardFor = Optional.empty();
    ConnectionMode connectionMode = ConnectionMode.KEEP_ALIVE;
    LogFormat logFormat = LogFormat.DEFAULT;
    boolean dontLogNull;
    boolean redispatch;
    int retries = Proxy.DEFAULT_RETRIES;
    /** retry-on, option redispatch N and option persist (inherited); use-server, force-/ignore-persist lines. */
    dev.sluice.balancer.dispatch.RetryOn retryOn = dev.sluice.balancer.dispatch.RetryOn.DEFAULT;
    int redispatchAfter = -1;
    boolean persist;
    final List<dev.sluice.balancer.config.model.DispatchLines.Line> dispatchRules = new ArrayList<>();
    /** {@code fullconn}; 0 when not set (the compiler derives it from the frontends). */
    int fullconn;
    CookiePlan cookie = CookiePlan.NONE;
    final Map<Integer, ErrorFile> errorFiles = new TreeMap<>();
    /** errorfile, errorloc*, errorfiles, http-error in written order (see ErrorKeywords.resolve). */
    final List<dev.sluice.balancer.config.model.ErrorDirective> errorDirectives = new java.util.ArrayList<>();
    /** The per-request http-error replies, set by ErrorKeywords.resolve. */
    Map<Integer, dev.sluice.balancer.rules.Reply> errorReplies = Map.of();
    /** option nolinger / no option nolinger. */
    boolean noLinger;
    /** http-send-name-header NAME, or null. */
    String sendNameHeader;
    /** id N and description (never in defaults), disabled/enabled, backlog N: see ProxyExtras. */
    int id;
    boolean disabled;
    String description;
    int backlog;
    /** log-tag NAME, or null for the global one. */
    String logTag;
    /** option http-restrict-req-hdr-names. */
    dev.sluice.balancer.runtime.HeaderNamePolicy headerNames = dev.sluice.balancer.runtime.HeaderNamePolicy.PRESERVE;
    /** rate-limit sessions N. */
    int sessionRate;
    final List<LogTarget> logs = new ArrayList<>();
    final List<AclLine> acls = new ArrayList<>();
    /** {@code stats} lines and {@code http-request use-service} rules (issue 9). */
    StatsDraft stats = new StatsDraft();
    /** {@code stick-table} and {@code tcp-request} lines (see {@link StickKeywords}); never inherited. */
    final StickKeywords.Draft stick = new StickKeywords.Draft();
    HttpCheckDraft httpCheck = new HttpCheckDraft();
    /** {@code option tcp-check} and the protocol check options, with the {@code tcp-check} lines. */
    TcpCheckDraft tcpCheck = new TcpCheckDraft();
    final List<dev.sluice.balancer.config.model.RuleLine> rules = new ArrayList<>();
    Optional<java.time.Duration> tarpit = Optional.empty();
    /** monitor-uri, monitor fail, originalto, tcp keep-alive, http-buffer-request (see TuningKeywords). */
    TuningKeywords.Draft tuning = new TuningKeywords.Draft();
    dev.sluice.balancer.runtime.HttpReuse reuse = dev.sluice.balancer.runtime.HttpReuse.SAFE;

    /** Where this section itself chose a connection mode or log format, to warn about conflicts. */
    SourceLocation connectionModeSetAt;
    SourceLocation logFormatSetAt;
    final List<LogSettings.Capture> requestCaptures = new ArrayList<>();
    final List<LogSettings.Capture> responseCaptures = new ArrayList<>();
    /** {@code capture cookie NAME len N}: one per proxy, the last line wins (as HAProxy's). */
    LogSettings.Capture cookieCapture;
    boolean separateErrors;
    String logFormatText;
    SourceLocation logFormatTextAt;
    /** unique-id-format, unique-id-header, log-format-sd, error-log-format, dontlog-normal, logasap (issue 9). */
    LogExtras.Written uniqueIdFormat;
    String uniqueIdHeader;
    LogExtras.Written structuredData;
    LogExtras.Written errorFormat;
    boolean dontLogNormal;
    boolean logAsap;
    boolean logHealthChecks;
    /** Where this section's relative file names resolve ({@code default-path}, set by the Parser). */
    java.nio.file.Path baseDirectory = java.nio.file.Path.of("").toAbsolutePath();
    /** {@code source}: for the servers without their own ({@link SourceKeywords}, applied by the Parser). */
    dev.sluice.balancer.runtime.SourceAddress source = dev.sluice.balancer.runtime.SourceAddress.NONE;

    ProxyDraft(SourceLocation location, ProxyKind kind, String name, ProxyDraft defaults) {
        this.location = location;
        this.kind = kind;
        this.name = name;
        if (defaults != null) {
            baseDirectory = defaults.baseDirectory;
            source = defaults.source;
            mode = defaults.mode;
            maxconn = defaults.maxconn;
            defaultBackend = defaults.defaultBackend;
            defaultServer = defaults.defaultServer;
            balance = defaults.balance;
            hashType = defaults.hashType;
            hashBalanceFactor = defaults.hashBalanceFactor;
            allBackups = defaults.allBackups;
            timeouts = defaults.timeouts;
            forwardFor = defaults.forwardFor;
            connectionMode = defaults.connectionMode;
            logFormat = defaults.logFormat;
            dontLogNull = defaults.dontLogNull;
            separateErrors = defaults.separateErrors;
            logFormatText = defaults.logFormatText;
            logFormatTextAt = defaults.logFormatTextAt;
            uniqueIdFormat = defaults.uniqueIdFormat;
            uniqueIdHeader = defaults.uniqueIdHeader;
            structuredData = defaults.structuredData;
            errorFormat = defaults.errorFormat;
            dontLogNormal = defaults.dontLogNormal;
            logAsap = defaults.logAsap;
            logHealthChecks = defaults.logHealthChecks;
            redispatch = defaults.redispatch;
            retries = defaults.retries;
            retryOn = defaults.retryOn;
            redispatchAfter = defaults.redispatchAfter;
            persist = defaults.persist;
            fullconn = defaults.fullconn;
            cookie = defaults.cookie;
            errorFiles.putAll(defaults.errorFiles);
            errorDirectives.addAll(defaults.errorDirectives);
            noLinger = defaults.noLinger;
            sendNameHeader = defaults.sendNameHeader;
            disabled = defaults.disabled;
            backlog = defaults.backlog;
            logTag = defaults.logTag;
            headerNames = defaults.headerNames;
            sessionRate = defaults.sessionRate;
            logs.addAll(defaults.logs);
            stats = new StatsDraft(defaults.stats);
            httpCheck = defaults.httpCheck.copy();
            tcpCheck = defaults.tcpCheck.copy();
            tarpit = defaults.tarpit;
            tuning = new TuningKeywords.Draft(defaults.tuning);
            reuse = defaults.reuse;
        }
    }

    boolean isDefaults() {
        return kind == null;
    }

    /** How messages name this section: {@code backend 'app'} or {@code defaults section}. */
    String describe() {
        if (kind == null) {
            return name == null ? "defaults section" : "defaults section '" + name + "'";
        }
        return kind.keyword() + " '" + name + "'";
    }

    Proxy build() {
        ProxyOptions options = new ProxyOptions(forwardFor, connectionMode, logFormat, dontLogNull, redispatch,
                tuning.build(), reuse);
        Balance compiled = balance.withSettings(balance.settings().withHashType(hashType)
                .withHashBalanceFactor(hashBalanceFactor).withAllBackups(allBackups));
        return new Proxy(location, kind, name, mode, binds, maxconn, defaultBackend, useBackends, servers,
                defaultServer, compiled, timeouts, options, retries, errorFiles, logs, acls, stats.build(),
                stick.build(), httpCheck.build(), new dev.sluice.balancer.config.model.HttpRuleLines(rules, tarpit),
                cookie, new LogSettings(requestCaptures, responseCaptures, separateErrors, logFormatText,
                        logFormatTextAt, new LogExtras(uniqueIdFormat, uniqueIdHeader, structuredData, errorFormat,
                                dontLogNormal, logAsap, logHealthChecks), cookieCapture), fullconn,
                new dev.sluice.balancer.runtime.ProxyExtras(errorReplies, noLinger, sendNameHeader, id,
                        disabled, description, backlog, logTag, headerNames, sessionRate),
                tcpCheck.build(), new dev.sluice.balancer.config.model.DispatchLines(retryOn, redispatchAfter, persist,
                        dispatchRules));
    }
}
