package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.runtime.H2Limits;

/** The keywords of the {@code global} section. */
final class GlobalKeywords {

    /** Below this a buffer cannot hold an ordinary request head; HAProxy refuses tiny buffers too. */
    static final int MIN_BUFSIZE = 1_024;

    // Process settings, the TLS defaults and setenv's kin live in their own tables.
    static final KeywordTable<GlobalDraft> TABLE = LoadKeywords.register(EnvironmentKeywords.register(
            TlsDefaultKeywords.register(ProcessKeywords.register(
                    new KeywordTable<GlobalDraft>("global", Unsupported.GLOBAL)))))
            .add("maxconn", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.maxconn = Units.integer(line.word(1), "'maxconn'", 1, Integer.MAX_VALUE))
            .add("nbthread", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.nbthread = Units.integer(line.word(1), "'nbthread'", 1, Global.MAX_THREADS))
            .add("daemon", 0, 0, Scope.ALL, GlobalKeywords::daemon)
            .add("localpeer", 1, 1, Scope.ALL, (line, global, diagnostics) -> {
                Names.check(line.word(1), "'localpeer' name");
                global.localPeer = line.word(1);
            })
            .add("log", 2, Keyword.ANY, Scope.ALL, (line, global, diagnostics) ->
                    global.logs.add(LogTargets.parse(line)))
            .add("log-tag", 1, 1, Scope.ALL, (line, global, diagnostics) -> global.logTag = line.word(1))
            .add("tune.bufsize", 1, 1, Scope.ALL, GlobalKeywords::bufsize)
            .add("tune.comp.maxlevel", 0, Keyword.ANY, Scope.ALL, GlobalKeywords::compressionLevel)
            .add("maxcomprate", 0, Keyword.ANY, Scope.ALL, CompressionKeywords::maxCompRate)
            .add("maxcompcpuusage", 0, Keyword.ANY, Scope.ALL, CompressionKeywords::maxCompCpuUsage)
            .add("tune.http.maxhdr", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.maxHeaderLines = Units.integer(line.word(1), "'tune.http.maxhdr'",
                            dev.sluice.balancer.runtime.GlobalTuning.MIN_MAX_HEADER_LINES,
                            dev.sluice.balancer.runtime.GlobalTuning.MAX_MAX_HEADER_LINES))
            .add("maxconnrate", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.maxConnRate = Units.integer(line.word(1), "'maxconnrate'", 0, Integer.MAX_VALUE))
            .add("maxsessrate", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.maxSessRate = Units.integer(line.word(1), "'maxsessrate'", 0, Integer.MAX_VALUE))
            .add("tune.rcvbuf.client", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.rcvbufClient = socketBuffer(line))
            .add("tune.rcvbuf.server", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.rcvbufServer = socketBuffer(line))
            .add("tune.sndbuf.client", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.sndbufClient = socketBuffer(line))
            .add("tune.sndbuf.server", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.sndbufServer = socketBuffer(line))
            .add("tune.maxrewrite", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.maxrewrite = (int) Units.size(line.word(1)))
            .add("stats", 1, Keyword.ANY, Scope.ALL, StatsKeywords::global)
            .add("tune.h2.max-concurrent-streams", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.h2 = global.h2.withMaxConcurrentStreams(Units.integer(line.word(1),
                            "'tune.h2.max-concurrent-streams'", 1, H2Limits.MAX_STREAMS)))
            .add("tune.h2.initial-window-size", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.h2 = global.h2.withInitialWindowSize(Units.integer(line.word(1),
                            "'tune.h2.initial-window-size'", 1, H2Limits.MAX_WINDOW_SIZE)))
            .add("tune.h2.max-frame-size", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.h2 = global.h2.withMaxFrameSize(Units.integer(line.word(1),
                            "'tune.h2.max-frame-size'", H2Limits.MIN_FRAME_SIZE, H2Limits.MAX_FRAME_SIZE)))
            .add("tune.h2.header-table-size", 1, 1, Scope.ALL, (line, global, diagnostics) ->
                    global.h2 = global.h2.withHeaderTableSize(Units.integer(line.word(1),
                            "'tune.h2.header-table-size'", 0, H2Limits.MAX_FRAME_SIZE)));

    private GlobalKeywords() {
    }

    /**
     * HAProxy users write {@code daemon} out of habit; under systemd it would only hide the process
     * from its supervisor, so we accept it and say that we stay in the foreground.
     */
    private static void daemon(Line line, GlobalDraft global, Diagnostics diagnostics) {
        global.daemon = true;
        diagnostics.notice(line.location(), "'daemon' accepted but ignored: sluice-balancer always stays in the "
                + "foreground, supervised by systemd");
    }

    /** {@code tune.comp.maxlevel N}: the deflate level of every compressed response (HAProxy's default 1). */
    private static void compressionLevel(Line line, GlobalDraft global, Diagnostics diagnostics)
            throws ConfigException {
        String text = line.size() < 2 ? "" : line.word(1);
        int level = text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 2 ? 0
                : Integer.parseInt(text);
        if (level < 1 || level > dev.sluice.balancer.runtime.CompressionPlan.MAX_LEVEL) {
            throw new ConfigException("'tune.comp.maxlevel' expects a numeric value between 1 and "
                    + dev.sluice.balancer.runtime.CompressionPlan.MAX_LEVEL);
        }
        global.compressionLevel = level;
    }

    private static void bufsize(Line line, GlobalDraft global, Diagnostics diagnostics) throws ConfigException {
        long size = Units.size(line.word(1));
        if (size < MIN_BUFSIZE) {
            throw new ConfigException("'tune.bufsize' must be at least " + MIN_BUFSIZE + " bytes (got " + line.word(1) + ")");
        }
        global.bufsize = (int) size;
        global.bufsizeAt = line.location();
    }

    /** A {@code tune.rcvbuf.*}/{@code tune.sndbuf.*} size in bytes (a size suffix is allowed, as for tune.bufsize). */
    private static int socketBuffer(dev.sluice.balancer.config.lex.Line line)
            throws dev.sluice.balancer.config.ConfigException {
        return Units.integer(line.word(1), "'" + line.keyword() + "'", 1, Integer.MAX_VALUE);
    }
}
