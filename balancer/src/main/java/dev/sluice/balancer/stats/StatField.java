package dev.sluice.balancer.stats;

/**
 * HAProxy 2.6's stats fields in their CSV order (as {@code show stat} prints them, checked against
 * Debian's haproxy 2.6.12 by {@code RuntimeApiIT}). After them HAProxy prints a {@code -} column and
 * the per-module fields of {@link #MODULE_FIELDS}; tools find columns by name, so the order matters.
 */
public enum StatField {
    PXNAME("pxname"),
    SVNAME("svname"),
    QCUR("qcur"),
    QMAX("qmax"),
    SCUR("scur"),
    SMAX("smax"),
    SLIM("slim"),
    STOT("stot"),
    BIN("bin"),
    BOUT("bout"),
    DREQ("dreq"),
    DRESP("dresp"),
    EREQ("ereq"),
    ECON("econ"),
    ERESP("eresp"),
    WRETR("wretr"),
    WREDIS("wredis"),
    STATUS("status"),
    WEIGHT("weight"),
    ACT("act"),
    BCK("bck"),
    CHKFAIL("chkfail"),
    CHKDOWN("chkdown"),
    LASTCHG("lastchg"),
    DOWNTIME("downtime"),
    QLIMIT("qlimit"),
    PID("pid"),
    IID("iid"),
    SID("sid"),
    THROTTLE("throttle"),
    LBTOT("lbtot"),
    TRACKED("tracked"),
    TYPE("type"),
    RATE("rate"),
    RATE_LIM("rate_lim"),
    RATE_MAX("rate_max"),
    CHECK_STATUS("check_status"),
    CHECK_CODE("check_code"),
    CHECK_DURATION("check_duration"),
    HRSP_1XX("hrsp_1xx"),
    HRSP_2XX("hrsp_2xx"),
    HRSP_3XX("hrsp_3xx"),
    HRSP_4XX("hrsp_4xx"),
    HRSP_5XX("hrsp_5xx"),
    HRSP_OTHER("hrsp_other"),
    HANAFAIL("hanafail"),
    REQ_RATE("req_rate"),
    REQ_RATE_MAX("req_rate_max"),
    REQ_TOT("req_tot"),
    CLI_ABRT("cli_abrt"),
    SRV_ABRT("srv_abrt"),
    COMP_IN("comp_in"),
    COMP_OUT("comp_out"),
    COMP_BYP("comp_byp"),
    COMP_RSP("comp_rsp"),
    LASTSESS("lastsess"),
    LAST_CHK("last_chk"),
    LAST_AGT("last_agt"),
    QTIME("qtime"),
    CTIME("ctime"),
    RTIME("rtime"),
    TTIME("ttime"),
    AGENT_STATUS("agent_status"),
    AGENT_CODE("agent_code"),
    AGENT_DURATION("agent_duration"),
    CHECK_DESC("check_desc"),
    AGENT_DESC("agent_desc"),
    CHECK_RISE("check_rise"),
    CHECK_FALL("check_fall"),
    CHECK_HEALTH("check_health"),
    AGENT_RISE("agent_rise"),
    AGENT_FALL("agent_fall"),
    AGENT_HEALTH("agent_health"),
    ADDR("addr"),
    COOKIE("cookie"),
    MODE("mode"),
    ALGO("algo"),
    CONN_RATE("conn_rate"),
    CONN_RATE_MAX("conn_rate_max"),
    CONN_TOT("conn_tot"),
    INTERCEPTED("intercepted"),
    DCON("dcon"),
    DSES("dses"),
    WREW("wrew"),
    CONNECT("connect"),
    REUSE("reuse"),
    CACHE_LOOKUPS("cache_lookups"),
    CACHE_HITS("cache_hits"),
    SRV_ICUR("srv_icur"),
    SRC_ILIM("src_ilim"),
    QTIME_MAX("qtime_max"),
    CTIME_MAX("ctime_max"),
    RTIME_MAX("rtime_max"),
    TTIME_MAX("ttime_max"),
    EINT("eint"),
    IDLE_CONN_CUR("idle_conn_cur"),
    SAFE_CONN_CUR("safe_conn_cur"),
    USED_CONN_CUR("used_conn_cur"),
    NEED_CONN_EST("need_conn_est"),
    UWEIGHT("uweight"),
    AGG_SERVER_STATUS("agg_server_status"),
    AGG_SERVER_CHECK_STATUS("agg_server_check_status"),
    AGG_CHECK_STATUS("agg_check_status");

    /** The SSL, HTTP/2 and HTTP/1 module fields HAProxy 2.6 appends after a {@code -} column. */
    public static final String[] MODULE_FIELDS = "ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out".split(",");

    private final String csvName;

    StatField(String csvName) {
        this.csvName = csvName;
    }

    public String csvName() {
        return csvName;
    }

    /** The CSV header line, {@code # pxname,svname,...,} with HAProxy's trailing comma, and a newline. */
    public static String csvHeader() {
        StringBuilder header = new StringBuilder("# ");
        for (StatField field : values()) {
            header.append(field.csvName).append(',');
        }
        header.append("-,");
        for (String module : MODULE_FIELDS) {
            header.append(module).append(',');
        }
        return header.append('\n').toString();
    }
}
