package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.lex.Environment;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.config.model.LogTarget;
import dev.sluice.balancer.runtime.H2Limits;
import java.util.ArrayList;
import java.util.List;

/** The {@code global} section while it is read (several global sections add up, as in HAProxy). */
final class GlobalDraft {
    int maxconn;
    /** {@code localpeer}: the name of this process in peers sections, unless {@code -L} gives one. */
    String localPeer;
    int nbthread;
    /** {@code tune.comp.maxlevel}. */
    int compressionLevel = dev.sluice.balancer.runtime.CompressionPlan.DEFAULT_LEVEL;
    boolean daemon;
    final List<LogTarget> logs = new ArrayList<>();
    int bufsize = Global.DEFAULT_BUFSIZE;
    int maxrewrite = Global.DEFAULT_MAXREWRITE;
    SourceLocation bufsizeAt;
    final List<dev.sluice.balancer.config.model.GlobalStats.Socket> statsSockets = new ArrayList<>();
    java.time.Duration statsTimeout = dev.sluice.balancer.config.model.GlobalStats.DEFAULT_TIMEOUT;
    H2Limits h2 = H2Limits.DEFAULTS;
    String logTag = Global.DEFAULT_LOG_TAG;
    final ProcessDraft process = new ProcessDraft();
    /** The variables later lines expand, changed by {@code setenv} and its kin (set by the Parser). */
    Environment environment;
    /** tune.http.maxhdr, tune.rcvbuf.*, tune.sndbuf.* (see GlobalTuning). */
    int maxHeaderLines = dev.sluice.balancer.runtime.GlobalTuning.DEFAULT_MAX_HEADER_LINES;
    int rcvbufClient;
    int rcvbufServer;
    int sndbufClient;
    int sndbufServer;
    int maxConnRate;
    int maxSessRate;
    /** ca-base, crt-base, ssl-server-verify, ssl-default-server-*: what servers' TLS starts from. */
    final ServerTlsKeywords.Defaults serverTls = new ServerTlsKeywords.Defaults();
    /** {@code default-path}: where relative file names resolve ({@link LoadKeywords}). */
    java.nio.file.Path baseDirectory = java.nio.file.Path.of("").toAbsolutePath();
    SourceLocation defaultPathAt;
    String defaultPathPolicy;
    /** The file of the line read last, to notice a new one (LoadKeywords.checkFile). */
    String lastFile;
    boolean zeroWarning;
    /** {@code log-send-hostname}: null when not written. */
    String logHostname;
    /** A defaults or proxy section was opened (set by the Parser): default-path must come before. */
    boolean proxySeen;

    Global build() {
        return new Global(maxconn, nbthread, daemon, logs, bufsize, maxrewrite,
                new dev.sluice.balancer.config.model.GlobalStats(statsSockets, statsTimeout), h2, logTag, process.build(),
                compressionLevel,
                new dev.sluice.balancer.runtime.GlobalTuning(maxHeaderLines, rcvbufClient, rcvbufServer, sndbufClient,
                        sndbufServer, maxConnRate, maxSessRate, maxrewrite),
                new dev.sluice.balancer.config.model.GlobalExtras(baseDirectory, zeroWarning, logHostname));
    }
}
