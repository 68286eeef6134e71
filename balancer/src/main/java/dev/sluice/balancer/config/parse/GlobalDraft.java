package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.config.model.LogTarget;
import java.util.ArrayList;
import java.util.List;

/** The {@code global} section while it is read (several global sections add up, as in HAProxy). */
final class GlobalDraft {
    int maxconn;
    int nbthread;
    boolean daemon;
    final List<LogTarget> logs = new ArrayList<>();
    int bufsize = Global.DEFAULT_BUFSIZE;
    int maxrewrite = Global.DEFAULT_MAXREWRITE;
    SourceLocation bufsizeAt;
    String logTag = Global.DEFAULT_LOG_TAG;

    Global build() {
        return new Global(maxconn, nbthread, daemon, logs, bufsize, maxrewrite, logTag);
    }
}
