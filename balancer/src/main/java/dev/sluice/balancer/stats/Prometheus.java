package dev.sluice.balancer.stats;

import static dev.sluice.balancer.stats.StatField.*;

import java.util.List;

/**
 * The Prometheus text format with HAProxy's exporter names and types ({@code haproxy_process_*},
 * {@code haproxy_frontend_*}, {@code haproxy_backend_*}, {@code haproxy_server_*}); labels
 * {@code proxy} and {@code server}, {@code code} for response classes and {@code state} for
 * statuses, as HAProxy's {@code prometheus-exporter} service writes them.
 */
public final class Prometheus {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4";

    private enum Scope { FRONTEND, BACKEND, SERVER }

    /** A metric taken from one stats field; {@code divisor} turns milliseconds into seconds. */
    private record Metric(String name, String type, String help, StatField field, double divisor, Scope... scopes) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("current_queue", "gauge", "Requests waiting in the queue", QCUR, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("max_queue", "gauge", "Highest queue length seen", QMAX, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("current_sessions", "gauge", "Sessions open now", SCUR, 1, Scope.values()),
            new Metric("max_sessions", "gauge", "Highest number of sessions open at once", SMAX, 1, Scope.values()),
            new Metric("limit_sessions", "gauge", "Configured session limit", SLIM, 1, Scope.values()),
            new Metric("sessions_total", "counter", "Sessions since start", STOT, 1, Scope.values()),
            new Metric("bytes_in_total", "counter", "Bytes received", BIN, 1, Scope.values()),
            new Metric("bytes_out_total", "counter", "Bytes sent", BOUT, 1, Scope.values()),
            new Metric("requests_denied_total", "counter", "Requests denied by rules", DREQ, 1, Scope.FRONTEND, Scope.BACKEND),
            new Metric("responses_denied_total", "counter", "Responses denied by rules", DRESP, 1, Scope.values()),
            new Metric("request_errors_total", "counter", "Invalid or refused client requests", EREQ, 1, Scope.FRONTEND),
            new Metric("connection_errors_total", "counter", "Failed connections to servers", ECON, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("response_errors_total", "counter", "Invalid or missing server responses", ERESP, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("retry_warnings_total", "counter", "Connection retries", WRETR, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("redispatch_warnings_total", "counter", "Retries sent to another server", WREDIS, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("weight", "gauge", "Effective weight", WEIGHT, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("active_servers", "gauge", "Active servers taking traffic", ACT, 1, Scope.BACKEND),
            new Metric("backup_servers", "gauge", "Backup servers taking traffic", BCK, 1, Scope.BACKEND),
            new Metric("check_up_down_total", "counter", "Transitions from up to down", CHKDOWN, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("check_last_change_seconds", "gauge", "Seconds since the last state change", LASTCHG, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("downtime_seconds_total", "counter", "Seconds spent down", DOWNTIME, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("loadbalanced_total", "counter", "Times chosen by the balance algorithm", LBTOT, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("max_session_rate", "gauge", "Highest sessions per second", RATE_MAX, 1, Scope.values()),
            new Metric("http_requests_rate_max", "gauge", "Highest HTTP requests per second", REQ_RATE_MAX, 1, Scope.FRONTEND),
            new Metric("http_requests_total", "counter", "HTTP requests", REQ_TOT, 1, Scope.FRONTEND, Scope.BACKEND),
            new Metric("client_aborts_total", "counter", "Exchanges aborted by the client", CLI_ABRT, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("server_aborts_total", "counter", "Exchanges aborted by the server", SRV_ABRT, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("last_session_seconds", "gauge", "Seconds since the last session", LASTSESS, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("queue_time_average_seconds", "gauge", "Average time in the queue", QTIME, 1000, Scope.BACKEND, Scope.SERVER),
            new Metric("connect_time_average_seconds", "gauge", "Average connect time", CTIME, 1000, Scope.BACKEND, Scope.SERVER),
            new Metric("response_time_average_seconds", "gauge", "Average response time", RTIME, 1000, Scope.BACKEND, Scope.SERVER),
            new Metric("total_time_average_seconds", "gauge", "Average total time", TTIME, 1000, Scope.BACKEND, Scope.SERVER),
            new Metric("connections_rate_max", "gauge", "Highest connections per second", CONN_RATE_MAX, 1, Scope.FRONTEND),
            new Metric("connections_total", "counter", "Connections accepted", CONN_TOT, 1, Scope.FRONTEND),
            new Metric("intercepted_requests_total", "counter", "Requests answered by the proxy itself", INTERCEPTED, 1, Scope.FRONTEND),
            new Metric("connection_attempts_total", "counter", "Connection attempts to servers", CONNECT, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("connection_reuses_total", "counter", "Requests sent over a reused connection", REUSE, 1, Scope.BACKEND, Scope.SERVER),
            new Metric("internal_errors_total", "counter", "Internal errors", EINT, 1, Scope.values()),
            new Metric("uweight", "gauge", "Configured weight", UWEIGHT, 1, Scope.BACKEND, Scope.SERVER));

    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    private static final String[] SERVER_STATES = {"DOWN", "UP", "MAINT", "DRAIN", "NOLB"};

    private Prometheus() {
    }

    public static String render(StatsRegistry registry, long nowNanos) {
        StringBuilder out = new StringBuilder(16_384);
        process(out, registry, nowNanos);
        List<StatRow> rows = StatRows.rows(registry, nowNanos);
        for (Scope scope : Scope.values()) {
            String prefix = "haproxy_" + scope.name().toLowerCase() + "_";
            status(out, prefix, scope, rows);
            for (Metric metric : METRICS) {
                if (!List.of(metric.scopes()).contains(scope)) {
                    continue;
                }
                head(out, prefix + metric.name(), metric.type(), metric.help());
                for (StatRow row : rows) {
                    if (matches(row, scope) && (metric.field() != REQ_TOT || "http".equals(row.get(MODE)))) {
                        long value = row.number(metric.field(), -1);
                        if (value < 0 && metric.field() != LASTSESS) {
                            continue;
                        }
                        sample(out, prefix + metric.name(), labels(row, scope), metric.divisor() == 1
                                ? Long.toString(value) : Double.toString(value / metric.divisor()));
                    }
                }
            }
            head(out, prefix + "http_responses_total", "counter", "HTTP responses by status class");
            for (StatRow row : rows) {
                if (matches(row, scope) && "http".equals(row.get(MODE))) {
                    for (int i = 0; i < CODES.length; i++) {
                        sample(out, prefix + "http_responses_total", labels(row, scope) + ",code=\"" + CODES[i] + "\"",
                                row.get(StatField.values()[HRSP_1XX.ordinal() + i]));
                    }
                }
            }
        }
        return out.toString();
    }

    private static void process(StringBuilder out, StatsRegistry registry, long now) {
        var info = ProcessInfo.lines(registry, now);
        metric(out, "haproxy_process_nbthread", "gauge", "Event loops", info, "Nbthread");
        metric(out, "haproxy_process_nbproc", "gauge", "Processes", info, "Nbproc");
        metric(out, "haproxy_process_relative_process_id", "gauge", "Process number", info, "Process_num");
        metric(out, "haproxy_process_uptime_seconds", "gauge", "Seconds since start", info, "Uptime_sec");
        metric(out, "haproxy_process_max_connections", "gauge", "Configured maxconn", info, "Maxconn");
        metric(out, "haproxy_process_current_connections", "gauge", "Client connections open now", info, "CurrConns");
        metric(out, "haproxy_process_connections_total", "counter", "Client connections since start", info, "CumConns");
        metric(out, "haproxy_process_requests_total", "counter", "HTTP requests since start", info, "CumReq");
        metric(out, "haproxy_process_current_session_rate", "gauge", "Sessions per second", info, "SessRate");
        metric(out, "haproxy_process_max_session_rate", "gauge", "Highest sessions per second", info, "MaxSessRate");
        metric(out, "haproxy_process_bytes_out_total", "counter", "Bytes sent to clients", info, "TotalBytesOut");
        metric(out, "haproxy_process_start_time_seconds", "gauge", "Start time (Unix seconds)", info, "Start_time_sec");
        head(out, "haproxy_process_build_info", "gauge", "Build info");
        sample(out, "haproxy_process_build_info", "version=\"" + StatsRegistry.VERSION + "\"", "1");
    }

    private static void metric(StringBuilder out, String name, String type, String help,
                               List<java.util.Map.Entry<String, String>> info, String key) {
        for (var entry : info) {
            if (entry.getKey().equals(key)) {
                head(out, name, type, help);
                out.append(name).append(' ').append(entry.getValue()).append('\n');
                return;
            }
        }
    }

    private static void status(StringBuilder out, String prefix, Scope scope, List<StatRow> rows) {
        head(out, prefix + "status", "gauge", "Current status, one series per state label value");
        for (StatRow row : rows) {
            if (!matches(row, scope)) {
                continue;
            }
            String status = row.get(STATUS);
            if (scope == Scope.SERVER) {
                // "UP 2/3" is still UP and "DOWN 1/2" still DOWN: the label is the state, not its progress.
                String word = status.indexOf(' ') < 0 ? status : status.substring(0, status.indexOf(' '));
                String state = switch (word) {
                    case "MAINT", "DRAIN", "NOLB", "DOWN" -> word;
                    default -> "UP";
                };
                for (String candidate : SERVER_STATES) {
                    sample(out, prefix + "status", labels(row, scope) + ",state=\"" + candidate + "\"",
                            candidate.equals(state) ? "1" : "0");
                }
            } else {
                boolean up = status.equals("OPEN") || status.equals("UP");
                sample(out, prefix + "status", labels(row, scope) + ",state=\"DOWN\"", up ? "0" : "1");
                sample(out, prefix + "status", labels(row, scope) + ",state=\"UP\"", up ? "1" : "0");
            }
        }
    }

    private static boolean matches(StatRow row, Scope scope) {
        return row.kind().ordinal() == scope.ordinal();
    }

    private static String labels(StatRow row, Scope scope) {
        String proxy = "proxy=\"" + escape(row.get(PXNAME)) + "\"";
        return scope == Scope.SERVER ? proxy + ",server=\"" + escape(row.get(SVNAME)) + "\"" : proxy;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void head(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, String value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }
}
