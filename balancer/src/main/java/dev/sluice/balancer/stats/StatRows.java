package dev.sluice.balancer.stats;

import static dev.sluice.balancer.stats.StatField.*;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.backend.ServerState;
import dev.sluice.balancer.check.CheckResult;
import dev.sluice.balancer.check.CheckStatus;
import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.runtime.ServerPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the live figures into HAProxy's stats lines: per proxy its FRONTEND line, one line per
 * server, then its BACKEND line, as {@code show stat} orders them.
 *
 * <p>A server's state is its live {@link ServerState}: status, effective and user weights, the
 * last check (status, code, duration, description) and the check counters, each printed where
 * HAProxy 2.6 prints it (the check fields only while checks run).
 */
public final class StatRows {
    /** HAProxy's {@code pid} field is the process number; there is one process. */
    private static final int PROCESS_NUMBER = 1;
    /** HAProxy's {@code HCHK_STATUS_L57DATA}: statuses above it carry a layer-7 code. */
    private static final int L57DATA = 14;

    private StatRows() {
    }

    public static List<StatRow> rows(StatsRegistry registry, long nowNanos) {
        List<StatRow> rows = new ArrayList<>();
        for (StatsRegistry.ProxyEntry proxy : registry.proxies()) {
            if (proxy.front() != null) {
                rows.add(frontend(registry, proxy, nowNanos));
            }
            if (proxy.backend() != null) {
                int sid = 1;
                for (Server server : proxy.backend().servers()) {
                    rows.add(server(registry, proxy, server, sid++, nowNanos));
                }
                rows.add(backend(registry, proxy, nowNanos));
            }
        }
        return rows;
    }

    /** The status HAProxy shows for a server ({@code UP}, {@code DOWN 1/2}, {@code DRAIN}, {@code no check}, …). */
    public static String serverStatus(Server server) {
        return server.state().statsStatus();
    }

    private static StatRow common(StatRow.Kind kind, StatsRegistry.ProxyEntry proxy, String svname, Counters c,
                                  long now) {
        StatRow row = new StatRow(kind)
                .set(PXNAME, proxy.name()).set(SVNAME, svname)
                .set(SCUR, c.current()).set(SMAX, c.currentMax()).set(STOT, c.total())
                .set(BIN, c.bytesIn()).set(BOUT, c.bytesOut())
                .set(PID, PROCESS_NUMBER).set(IID, proxy.id()).set(TYPE, kind.ordinal())
                .set(RATE, c.sessionRate(now)).set(RATE_MAX, c.sessionRateMax())
                .set(MODE, proxy.mode());
        for (int i = 0; i < Counters.STATUS_CLASSES; i++) {
            row.set(StatField.values()[HRSP_1XX.ordinal() + i], c.responses(i));
        }
        return row;
    }

    private static StatRow frontend(StatsRegistry registry, StatsRegistry.ProxyEntry proxy, long now) {
        Counters c = proxy.front();
        int limit = proxy.frontend().maxconn() > 0 ? proxy.frontend().maxconn() : registry.global().maxconn();
        StatRow row = common(StatRow.Kind.FRONTEND, proxy, "FRONTEND", c, now)
                .set(DREQ, c.deniedRequests()).set(DRESP, c.deniedResponses()).set(EREQ, c.requestErrors())
                .set(STATUS, "OPEN").set(SID, 0).set(RATE_LIM, 0)
                .set(REQ_RATE, c.requestRate(now)).set(REQ_RATE_MAX, c.requestRateMax()).set(REQ_TOT, c.requests())
                .set(COMP_IN, c.compression().in()).set(COMP_OUT, c.compression().out())
                .set(COMP_BYP, c.compression().bypassed()).set(COMP_RSP, c.compression().responses())
                .set(CONN_RATE, c.sessionRate(now)).set(CONN_RATE_MAX, c.sessionRateMax()).set(CONN_TOT, c.total())
                .set(INTERCEPTED, c.intercepted()).set(DCON, 0).set(DSES, 0).set(WREW, 0)
                .set(CACHE_LOOKUPS, 0).set(CACHE_HITS, 0).set(EINT, c.internalErrors());
        if (limit > 0) {
            row.set(SLIM, limit);
        }
        return row;
    }

    /** {@code ADDR:PORT}, empty while the server has no address (HAProxy shows none in resolution maintenance). */
    private static String addressText(java.net.InetSocketAddress address) {
        if (address.getAddress().isAnyLocalAddress()) {
            return "";
        }
        String host = io.netty.util.NetUtil.toAddressString(address.getAddress());
        return (address.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":"
                + address.getPort();
    }

    private static StatRow server(StatsRegistry registry, StatsRegistry.ProxyEntry proxy, Server server, int sid,
                                  long now) {
        Counters c = server.counters();
        ServerPlan plan = server.plan();
        ServerState state = server.state();
        StatRow row = common(StatRow.Kind.SERVER, proxy, server.name(), c, now)
                .set(QCUR, server.queued()).set(QMAX, 0).set(SCUR, server.busy())
                .set(DRESP, c.deniedResponses()).set(ECON, c.connectErrors()).set(ERESP, c.responseErrors())
                .set(WRETR, c.retries()).set(WREDIS, c.redispatches())
                .set(STATUS, state.statsStatus()).set(WEIGHT, state.weight())
                .set(ACT, plan.backup() ? 0 : 1).set(BCK, plan.backup() ? 1 : 0)
                .set(LASTCHG, state.secondsSinceLastChange()).set(SID, sid).set(LBTOT, c.total())
                .set(CLI_ABRT, c.clientAborts()).set(SRV_ABRT, c.serverAborts())
                .set(LASTSESS, c.secondsSinceLastSession(now))
                .set(QTIME, c.averageQueueMillis()).set(CTIME, c.averageConnectMillis())
                .set(RTIME, c.averageResponseMillis()).set(TTIME, c.averageTotalMillis())
                .set(ADDR, addressText(server.address()))
                .set(CONNECT, c.connectAttempts()).set(REUSE, c.reuses())
                .set(EINT, c.internalErrors()).set(UWEIGHT, state.userWeight());
        if (server.maxconn() > 0) { // the limit in force: set maxconn server and agents change it
            row.set(SLIM, server.maxconn());
        }
        if (state.trackedVia() != null) {
            row.set(TRACKED, state.trackedVia());
        }
        if (state.checksEnabled()) {
            checkFields(row, state);
        }
        if (state.agentEnabled()) {
            agentFields(row, state);
        }
        if (state.observing()) {
            row.set(HANAFAIL, state.observedFailures());
        }
        return row;
    }

    /** agent-check: its status as HAProxy shows it (an agent's rise and fall are 1: health is 1 unless it said down). */
    private static void agentFields(StatRow row, ServerState state) {
        CheckResult last = state.lastAgent();
        row.set(AGENT_STATUS, last.status().shortName()).set(LAST_AGT, last.info())
                .set(AGENT_DESC, last.status().reason())
                .set(AGENT_RISE, 1).set(AGENT_FALL, 1).set(AGENT_HEALTH, state.agentDown() ? 0 : 1);
        if (last.status() != CheckStatus.INI) {
            row.set(AGENT_DURATION, last.durationMillis());
        }
        if (last.status().code() > L57DATA) {
            row.set(AGENT_CODE, last.code());
        }
    }

    private static void checkFields(StatRow row, ServerState state) {
        CheckResult last = state.lastCheck();
        // HAProxy numbers its statuses so that those past CHECKED (3) have a duration, those past L57DATA (14) a code.
        // HAProxy pauses the checks of a server in maintenance and shows no check status, code or duration then.
        boolean paused = state.admin() == ServerState.Admin.MAINT;
        if (!paused) {
            row.set(CHECK_STATUS, last.status().shortName());
        }
        row.set(CHKFAIL, state.failedChecks()).set(CHKDOWN, state.downTransitions())
                .set(DOWNTIME, state.downtimeSeconds()).set(LAST_CHK, last.info())
                .set(CHECK_DESC, last.status().reason())
                .set(CHECK_RISE, state.rise()).set(CHECK_FALL, state.fall()).set(CHECK_HEALTH, state.health());
        if (last.status() != CheckStatus.INI && !paused) {
            row.set(CHECK_DURATION, last.durationMillis());
        }
        if (last.status().code() > L57DATA && !paused) { // even 0: a tcp-check L7OK has no code, HAProxy prints 0
            row.set(CHECK_CODE, last.code());
        }
    }

    private static StatRow backend(StatsRegistry registry, StatsRegistry.ProxyEntry proxy, long now) {
        Backend backend = proxy.backend();
        Counters c = backend.counters();
        int active = 0;
        int backup = 0;
        int weight = 0;
        int userWeight = 0;
        int backupWeight = 0;
        for (Server server : backend.servers()) {
            if (server.usable()) {
                if (server.plan().backup()) {
                    backup++;
                    backupWeight += server.state().weight();
                } else {
                    active++;
                    weight += server.state().weight();
                    userWeight += server.state().userWeight();
                }
            }
        }
        // As HAProxy: the weight in service is the active servers', else the backups'; a backend
        // without servers (a stats-only listen) is UP.
        if (active == 0) {
            weight = backupWeight;
        }
        boolean up = weight > 0 || backend.servers().isEmpty();
        return common(StatRow.Kind.BACKEND, proxy, "BACKEND", c, now)
                .set(QCUR, backend.queued()).set(QMAX, c.queueMax())
                .set(DREQ, c.deniedRequests()).set(DRESP, c.deniedResponses())
                .set(ECON, c.connectErrors()).set(ERESP, c.responseErrors())
                .set(WRETR, c.retries()).set(WREDIS, c.redispatches())
                .set(STATUS, up ? "UP" : "DOWN").set(WEIGHT, weight).set(ACT, active).set(BCK, backup)
                .set(CHKDOWN, 0).set(LASTCHG, registry.uptimeSeconds(now)).set(DOWNTIME, up ? 0 : registry.uptimeSeconds(now))
                .set(SID, 0).set(LBTOT, c.total())
                .set(REQ_TOT, c.requests()).set(CLI_ABRT, c.clientAborts()).set(SRV_ABRT, c.serverAborts())
                .set(COMP_IN, c.compression().in()).set(COMP_OUT, c.compression().out())
                .set(COMP_BYP, c.compression().bypassed()).set(COMP_RSP, c.compression().responses())
                .set(LASTSESS, c.secondsSinceLastSession(now))
                .set(QTIME, c.averageQueueMillis()).set(CTIME, c.averageConnectMillis())
                .set(RTIME, c.averageResponseMillis()).set(TTIME, c.averageTotalMillis())
                .set(ALGO, algorithm(backend.plan().balance())).set(CONNECT, c.connectAttempts())
                .set(REUSE, c.reuses()).set(CACHE_LOOKUPS, 0).set(CACHE_HITS, 0)
                .set(EINT, c.internalErrors()).set(UWEIGHT, active == 0 ? backupWeight : userWeight)
                .set(SLIM, backend.plan().load().fullconn()); // HAProxy shows a backend's fullconn as its limit
    }

    /** The algorithm's name as HAProxy's {@code algo} field writes it. */
    static String algorithm(Balance balance) {
        return switch (balance.algorithm()) {
            case Balance.RoundRobin r -> "roundrobin";
            case Balance.StaticRoundRobin s -> "static-rr";
            case Balance.LeastConn l -> "leastconn";
            case Balance.First f -> "first";
            case Balance.Source s -> "source";
            case Balance.Uri u -> "uri";
            case Balance.UrlParam p -> "url_param";
            case Balance.Header h -> "hdr";
            case Balance.Random r -> "random";
            case Balance.Hash h -> "hash";
            default -> "";
        };
    }
}
