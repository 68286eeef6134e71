package dev.sluice.balancer.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HAProxy 2.6's {@code show info} lines, in its order and with its names (tools such as hatop and
 * exporters read them by name). Figures we do not have (SSL, compression, pipes, pools) are 0.
 */
public final class ProcessInfo {
    private ProcessInfo() {
    }

    /** Every {@code name: value} pair of {@code show info}. */
    public static List<Map.Entry<String, String>> lines(StatsRegistry registry, long nowNanos) {
        long uptime = registry.uptimeSeconds(nowNanos);
        long connections = 0;
        long requests = 0;
        long sessionRate = 0;
        long sessionRateMax = 0;
        long bytesOut = 0;
        for (StatsRegistry.ProxyEntry proxy : registry.proxies()) {
            if (proxy.front() != null) {
                connections += proxy.front().total();
                requests += proxy.front().requests();
                sessionRate += proxy.front().sessionRate(nowNanos);
                sessionRateMax = Math.max(sessionRateMax, proxy.front().sessionRateMax());
                bytesOut += proxy.front().bytesOut();
            }
        }
        int maxconn = registry.global().maxconn();
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        add(lines, "Name", StatsRegistry.PRODUCT);
        add(lines, "Version", StatsRegistry.VERSION);
        add(lines, "Release_date", "");
        add(lines, "Nbthread", registry.global().threads());
        add(lines, "Nbproc", 1);
        add(lines, "Process_num", 1);
        add(lines, "Pid", ProcessHandle.current().pid());
        add(lines, "Uptime", uptimeText(uptime));
        add(lines, "Uptime_sec", uptime);
        add(lines, "Memmax_MB", 0);
        add(lines, "PoolAlloc_MB", 0);
        add(lines, "PoolUsed_MB", 0);
        add(lines, "PoolFailed", 0);
        add(lines, "Ulimit-n", openFileLimit());
        add(lines, "Maxsock", 0);
        add(lines, "Maxconn", maxconn);
        add(lines, "Hard_maxconn", maxconn);
        add(lines, "CurrConns", registry.openConnections().getAsInt());
        add(lines, "CumConns", connections);
        add(lines, "CumReq", requests);
        for (String zero : List.of("MaxSslConns", "CurrSslConns", "CumSslConns", "Maxpipes", "PipesUsed", "PipesFree")) {
            add(lines, zero, 0);
        }
        add(lines, "ConnRate", sessionRate);
        add(lines, "ConnRateLimit", 0);
        add(lines, "MaxConnRate", sessionRateMax);
        add(lines, "SessRate", sessionRate);
        add(lines, "SessRateLimit", 0);
        add(lines, "MaxSessRate", sessionRateMax);
        for (String zero : List.of("SslRate", "SslRateLimit", "MaxSslRate", "SslFrontendKeyRate",
                "SslFrontendMaxKeyRate", "SslFrontendSessionReuse_pct", "SslBackendKeyRate", "SslBackendMaxKeyRate",
                "SslCacheLookups", "SslCacheMisses", "CompressBpsIn", "CompressBpsOut", "CompressBpsRateLim",
                "Tasks", "Run_queue")) {
            add(lines, zero, 0);
        }
        add(lines, "Idle_pct", 100);
        var process = registry.global().process();
        add(lines, "node", process.node() != null ? process.node() : hostName());
        if (process.description() != null) {
            // HAProxy prints this line only when 'description' is set.
            add(lines, "description", process.description());
        }
        add(lines, "Stopping", 0);
        add(lines, "Jobs", registry.openConnections().getAsInt());
        add(lines, "Unstoppable Jobs", 0);
        add(lines, "Listeners", 0);
        for (String zero : List.of("ActivePeers", "ConnectedPeers", "DroppedLogs", "BusyPolling", "FailedResolutions")) {
            add(lines, zero, 0);
        }
        add(lines, "TotalBytesOut", bytesOut);
        add(lines, "TotalSplicdedBytesOut", 0);
        add(lines, "BytesOutRate", 0);
        add(lines, "DebugCommandsIssued", 0);
        add(lines, "CumRecvLogs", 0);
        add(lines, "Build info", StatsRegistry.VERSION);
        add(lines, "Memmax_bytes", 0);
        add(lines, "PoolAlloc_bytes", 0);
        add(lines, "PoolUsed_bytes", 0);
        add(lines, "Start_time_sec", registry.startEpochSeconds());
        add(lines, "Tainted", 0);
        return lines;
    }

    /** HAProxy's uptime format: {@code 0d 0h00m00s}. */
    public static String uptimeText(long seconds) {
        return String.format("%dd %dh%02dm%02ds", seconds / 86_400, seconds / 3_600 % 24, seconds / 60 % 60,
                seconds % 60);
    }

    public static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    private static void add(List<Map.Entry<String, String>> lines, String name, Object value) {
        lines.add(Map.entry(name, String.valueOf(value)));
    }

    /** The soft RLIMIT_NOFILE, as HAProxy shows it ({@code ulimit-n} when set); 0 if it cannot be read. */
    private static long openFileLimit() {
        try {
            return dev.sluice.common.os.OpenFileLimit.current()[0];
        } catch (dev.sluice.common.os.OpenFileLimit.LimitException e) {
            return 0;
        }
    }
}
