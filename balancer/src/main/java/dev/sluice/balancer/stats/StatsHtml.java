package dev.sluice.balancer.stats;

import static dev.sluice.balancer.stats.StatField.*;

import dev.sluice.balancer.runtime.StatsPage;
import java.util.List;

/**
 * The human stats page: a header with the process figures, then one table per proxy with its
 * FRONTEND, server and BACKEND lines. Status cells are coloured (green up, red down, grey
 * maintenance, amber draining) so the state of a farm is seen at a glance.
 */
final class StatsHtml {
    private static final String STYLE = """
            body{font-family:system-ui,Arial,sans-serif;font-size:13px;margin:16px;color:#222;background:#fafafa}
            h1{font-size:20px;margin:0 0 4px} .info{color:#555;margin-bottom:14px}
            table{border-collapse:collapse;margin:0 0 18px;background:#fff;box-shadow:0 1px 2px #0002}
            caption{text-align:left;font-weight:bold;font-size:15px;padding:4px 0}
            th{background:#36485c;color:#fff;font-weight:normal;padding:3px 6px;border:1px solid #2a3947}
            td{padding:3px 6px;border:1px solid #ddd;text-align:right;white-space:nowrap}
            td.name{text-align:left;font-weight:bold} tr.fb td{background:#eef2f7}
            tr td.up{background:#b9f0b9} tr td.down{background:#f7b0b0} tr td.maint{background:#c8c8d8} tr td.drain{background:#f9dc9a}
            .legend span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #ccc}
            form{margin:0 0 18px}
            """;

    private StatsHtml() {
    }

    static String render(StatsRegistry registry, StatsPage page, List<StatRow> rows, long now, boolean admin,
                         String message) {
        StringBuilder out = new StringBuilder(32_768);
        out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Statistics Report")
                .append(page.hideVersion() ? "" : " for " + StatsRegistry.PRODUCT)
                .append("</title><style>").append(STYLE).append("</style></head><body>\n");
        out.append("<h1>").append(StatsRegistry.PRODUCT).append(" statistics")
                .append(page.hideVersion() ? "" : " <small>version " + esc(StatsRegistry.VERSION) + "</small>")
                .append("</h1>\n<div class=\"info\">");
        if (page.node() != null) {
            out.append("node ").append(esc(page.node().isEmpty() ? ProcessInfo.hostName() : page.node())).append(" · ");
        }
        out.append("pid ").append(ProcessHandle.current().pid()).append(" · uptime ")
                .append(ProcessInfo.uptimeText(registry.uptimeSeconds(now))).append(" · current connections ")
                .append(registry.openConnections().getAsInt());
        if (registry.global().maxconn() > 0) {
            out.append(" / ").append(registry.global().maxconn());
        }
        if (page.refreshSeconds() > 0) {
            out.append(" · refresh every ").append(page.refreshSeconds()).append(" s");
        }
        out.append(" · <a href=\"").append(esc(page.uri())).append(";csv\">CSV</a> · <a href=\"")
                .append(esc(page.uri())).append(";json\">JSON</a></div>\n");
        if (message != null) {
            out.append("<p><b>").append(esc(message)).append("</b></p>\n");
        }
        if (page.showLegends()) {
            out.append("<div class=\"legend\"><span class=\"up\" style=\"background:#b9f0b9\">up</span>"
                    + "<span style=\"background:#f7b0b0\">down</span><span style=\"background:#c8c8d8\">maintenance</span>"
                    + "<span style=\"background:#f9dc9a\">draining</span></div><br>\n");
        }
        String proxy = null;
        for (StatRow row : rows) {
            if (!row.get(PXNAME).equals(proxy)) {
                if (proxy != null) {
                    closeTable(out, admin, proxy);
                }
                proxy = row.get(PXNAME);
                openTable(out, proxy, row.get(MODE), admin);
            }
            row(out, row, admin);
        }
        if (proxy != null) {
            closeTable(out, admin, proxy);
        }
        return out.append("</body></html>\n").toString();
    }

    private static void openTable(StringBuilder out, String proxy, String mode, boolean admin) {
        if (admin) {
            out.append("<form method=\"post\"><input type=\"hidden\" name=\"b\" value=\"").append(esc(proxy))
                    .append("\">");
        }
        out.append("<table><caption>").append(esc(proxy)).append(" <small>(").append(esc(mode))
                .append(")</small></caption>\n<tr>").append(admin ? "<th></th>" : "")
                .append("<th>Name</th><th>Status</th><th>Last change</th><th>Weight</th><th>Act/Bck</th>"
                        + "<th>Queue cur/max</th><th>Sessions cur/max/limit</th><th>Sessions total</th>"
                        + "<th>Rate cur/max</th><th>Requests total</th><th>Bytes in</th><th>Bytes out</th>"
                        + "<th>1xx</th><th>2xx</th><th>3xx</th><th>4xx</th><th>5xx</th>"
                        + "<th>Errors req/conn/resp</th><th>Retr/Redis</th><th>Check</th><th>Avg resp/total ms</th></tr>\n");
    }

    private static void closeTable(StringBuilder out, boolean admin, String proxy) {
        out.append("</table>\n");
        if (admin) {
            out.append("Action on the checked servers: <select name=\"action\"><option value=\"ready\">Set state to READY"
                    + "</option><option value=\"drain\">Set state to DRAIN</option><option value=\"maint\">Set state to MAINT"
                    + "</option><option value=\"dhlth\">Health: disable checks</option><option value=\"ehlth\">"
                    + "Health: enable checks</option></select> <input type=\"submit\" value=\"Apply\"></form>\n");
        }
    }

    private static void row(StringBuilder out, StatRow row, boolean admin) {
        boolean server = row.kind() == StatRow.Kind.SERVER;
        out.append(server ? "<tr>" : "<tr class=\"fb\">");
        if (admin) {
            out.append("<td>").append(server ? "<input type=\"checkbox\" name=\"s\" value=\"" + esc(row.get(SVNAME)) + "\">" : "")
                    .append("</td>");
        }
        String status = row.get(STATUS);
        out.append("<td class=\"name\">").append(esc(row.get(SVNAME))).append("</td>")
                .append("<td class=\"").append(statusClass(status)).append("\">").append(esc(status)).append("</td>");
        cell(out, row.kind() == StatRow.Kind.FRONTEND ? "" : ProcessInfo.uptimeText(row.number(LASTCHG, 0)));
        cell(out, row.get(WEIGHT));
        cell(out, row.get(ACT).isEmpty() ? "" : row.get(ACT) + "/" + row.get(BCK));
        cell(out, row.get(QCUR).isEmpty() ? "" : row.get(QCUR) + "/" + row.get(QMAX));
        cell(out, row.get(SCUR) + "/" + row.get(SMAX) + "/" + (row.get(SLIM).isEmpty() ? "-" : row.get(SLIM)));
        cell(out, row.get(STOT));
        cell(out, row.get(RATE) + "/" + row.get(RATE_MAX));
        cell(out, row.get(REQ_TOT));
        cell(out, bytes(row.number(BIN, 0)));
        cell(out, bytes(row.number(BOUT, 0)));
        for (StatField f : new StatField[] {HRSP_1XX, HRSP_2XX, HRSP_3XX, HRSP_4XX, HRSP_5XX}) {
            cell(out, row.get(f));
        }
        cell(out, dash(row.get(EREQ)) + "/" + dash(row.get(ECON)) + "/" + dash(row.get(ERESP)));
        cell(out, row.get(WRETR).isEmpty() ? "" : row.get(WRETR) + "/" + row.get(WREDIS));
        cell(out, server ? checkCell(row, status) : "");
        cell(out, row.get(RTIME).isEmpty() ? "" : row.get(RTIME) + "/" + row.get(TTIME));
        out.append("</tr>\n");
    }

    /** The last check as HAProxy's page words it: {@code L7OK/200 in 1ms}, {@code L4CON in 0ms}. */
    private static String checkCell(StatRow row, String status) {
        if (status.equals("no check") || row.get(CHECK_STATUS).isEmpty()) {
            return "not checked";
        }
        String code = row.get(CHECK_CODE);
        String duration = row.get(CHECK_DURATION);
        return row.get(CHECK_STATUS) + (code.isEmpty() ? "" : "/" + code) + (duration.isEmpty() ? "" : " in " + duration + "ms");
    }

    private static String statusClass(String status) {
        if (status.startsWith("MAINT")) {
            return "maint";
        }
        if (status.startsWith("DRAIN") || status.startsWith("NOLB")) {
            return "drain";
        }
        if (status.startsWith("DOWN")) {
            return "down";
        }
        return "up";
    }

    private static String dash(String value) {
        return value.isEmpty() ? "-" : value;
    }

    private static String bytes(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 10_000_000) {
            return (n / 1_024) + " KiB";
        }
        return (n / (1_024 * 1_024)) + " MiB";
    }

    private static void cell(StringBuilder out, String value) {
        out.append("<td>").append(esc(value)).append("</td>");
    }

    static String esc(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
