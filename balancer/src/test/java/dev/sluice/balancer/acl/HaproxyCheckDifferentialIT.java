package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential check against Debian's haproxy 2.6: {@code haproxy -c} accepts the ACL lines and
 * conditions this compiler accepts, and refuses the ones it refuses as invalid. Lines refused as
 * unsupported must be ones haproxy accepts.
 */
class HaproxyCheckDifferentialIT {

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);

    private static final List<String> VALID_ACLS = List.of("path_beg /static /images", "path_end -i .PNG .jpg",
            "path,hex -m found", "req.cook(SID),length gt 3", "path,regsub('/+','/','g') -m beg /a",
            "src,crc32,mod(4) eq 1", "req.hdr(host),host_only,concat(.,,x) -m end .x", "path,url_dec,json(utf8s) -m found",
            "hdr(host) -i www.example.com", "hdr_dom(host) -i example.com", "hdr_beg(host,1) www.",
            "hdr_end(host) .com", "hdr_sub(host) example", "hdr_reg(host) ^www", "hdr_dir(host) x", "hdr_len(host) 10",
            "hdr_cnt(x-forwarded-for) gt 1", "hdr_ip(x-forwarded-for) 10.0.0.0/8", "hdr_val(content-length) lt 0",
            "req.hdr(host) -m reg -i ^www\\.", "req.hdr(x-forwarded-for,-1) -m ip 10.0.0.0/8",
            "req.fhdr(user-agent) -m sub curl", "req.hdr_cnt(host) eq 0", "req.cook(SID) -m found", "cook(SID) abc",
            "cook_beg(theme) da", "cook_cnt(SID) 1", "cook_val(n) gt 3", "url_param(user) bob", "urlp(sid,;) 1",
            "urlp_val(page) 1:10", "urlp_beg(x) y", "query -m found", "url_beg /api", "url_len gt 100",
            "url_reg ^[^/:]*://", "url *", "path_dom example", "path_len 1:10", "path_sub x", "path_dir api",
            "method GET HEAD", "method -i purge", "method -m beg G", "method -m reg ^P", "src 10.0.0.0/8 192.168.1 ::1 2001:db8::/32",
            "src 10.0.0.0/255.255.0.0", "src 127.1/8", "src_port 1024:", "src_port :1023", "dst_port 80 443",
            "dst 127.0.0.1", "nbsrv(be) lt 2", "be_conn(be2) gt 10",
            "fe_conn(fe) gt 100", "connslots(be) lt 5", "srv_is_up(be/s1)", "queue(be) gt 5", "avg_queue(be) gt 3",
            "ssl_fc", "ssl_fc_sni -i api.example.com", "ssl_fc_sni_end .example.com", "ssl_fc_sni_reg ^api",
            "ssl_fc_alpn h2", "ssl_fc_protocol TLSv1.3", "ssl_fc_cipher -m beg TLS_",
            "fc_pp_authority example.com", "fc_pp_unique_id -m found", "req.hdr(host),lower,map(hosts.map) -m found",
            "req.hdr(host),map(hosts.map,none) none", "req.hdr(host),map_beg(hosts.map,def) def",
            "req.hdr(host),map_dom(hosts.map) -m found", "src,ipmask(24) 10.0.0.0", "src,ipmask(24,64) 10.0.0.0",
            "src,ipmask(255.255.255.0) 10.0.0.0", "req.hdr(host),word(1,.) www", "req.hdr(host),word(-1,.,0) com",
            "path,field(2,/) api", "path,field(-2,/,2) api", "req.hdr(host),upper -m beg WWW",
            "req.hdr(host),lower,upper,lower www", "src -f ips.lst", "src -n -f ips.lst 10.0.0.1",
            "hdr(user-agent) -f ua.lst -i -f ua.lst bot", "hdr(host) -M -f hosts.map", "path -m dir api",
            "path -m len 1:10", "path -- -i", "path -m str -- --", "req.hdr(x) -m bin 48656c6c6f", "always_true",
            "always_false", "req.ver 1.1", "req.proto_http", "path_beg", "src_port lt 1024 gt 60000",
            "path_reg ^/[a-z]+$", "nbsrv(be) -m bool", "ssl_fc -m int 1", "src_port eq 1 2 3", "hdr_val(x) lt -5",
            "query,lower -m sub debug", "hdr_val(x) -- :-1", "hdr_val(x) -- -5", "req.len gt 0", "req_len lt 10",
            "wait_end", "req.payload(0,3) -m bin 474554", "payload(0,3) 474554", "payload(0,0) -m found",
            "req.payload_lv(0,2) -m found", "payload_lv(0,2) 61", "req.payload(0,3) -m str GET", "req.payload_lv(0,2,+1) -m found", "req_ssl_sni -i a.example",
            "req.ssl_sni -m end .b.example", "req_ssl_hello_type 1", "req.ssl_hello_type 1", "req.ssl_alpn h2",
            "req.ssl_ec_ext", "req.ssl_st_ext", "req_proto_http", "req.rdp_cookie(mstshash) -m found",
            "rdp_cookie -m found", "req_rdp_cookie_cnt gt 0", "rdp_cookie_cnt(mstshash) 1");

    private static final List<String> INVALID_ACLS = List.of("foo(bar) x", "path_beg -m foo x", "src 1.2.3.4/33",
            "src ::1/129", "src_port lt foo", "src_port 1:2:3", "path -f missing.lst", "path_reg ([a-z",
            "nbsrv(nope) gt 0", "srv_is_up(be/nope)", "srv_is_up(nope/s1)", "be_conn(nope) gt 0",
            "fe_conn(nope) gt 0", "hdr(host,x) x", "path -x foo", "path,nope foo", "path,map(missing.map) foo",
            "path,word(x,/) foo", "path,word(1) foo", "path,field(0,/) foo", "src,ipmask(33) 1.2.3.4",
            "src,ipmask(24,129) 1.2.3.4", "path_beg(x) /", "path( /", "method -m ip 1.2.3.4", "method -m int 1", "method -m bool", "src_port 99999999999999999999", "req.hdr_beg(host) x",
            "url_param_beg(a) x", "hdr_cnt(a) x", "url_len x", "src -f ua.lst", "hdr_val(x) -5:-1", "hdr_val(x) -- -5:-1", "src_port -1", "nbsrv ge 1", "be_conn gt 1",
            "srv_is_up(s1)",
            "ssl_fc_alpn_end x", "query_beg x", "src_beg 1.2", "nbsrv x", "req.payload(0) x", "req.payload(a,1) x",
            "req.ssl_sni(x) a", "req.payload_lv(0,0) x", "req.payload(0,3) 474554", "req.payload_lv(0,2) 61",
            "path,add(foo) 1", "path,sha2(100) -m found", "path,regsub(a,b,q) x", "path,json(x) x",
            "path,concat(a,foo) x", "path,bytes x", "path,be2dec(:,9) x");

    /** Valid in haproxy 2.6 but refused here as unsupported (not "invalid"). */
    private static final List<String> UNSUPPORTED_ACLS = List.of("base -m beg www",
            "path,debug -m found", "req.cook(SID),json_query('$.a') -m found", "src 10.0.0.0/255.0.255.0");

    private static final Map<String, String> ACL_LINES = Map.of("a", "path /x", "b", "method GET");

    private static final List<String> VALID_CONDITIONS = List.of("if a b", "if a or b", "if a OR b", "if !a || b",
            "if ! a", "if !!a", "unless a", "if { path_beg /x } b", "if b !{ path_beg /x }", "if METH_GET HTTP_1.1",
            "if LOCALHOST", "if TRUE !FALSE", "if HTTP_URL_ABS or HTTP_URL_STAR or HTTP_URL_SLASH", "if HTTP_CONTENT",
            "if METH_CONNECT or METH_DELETE or METH_HEAD or METH_OPTIONS or METH_POST or METH_PUT or METH_TRACE",
            "if HTTP HTTP_1.0 or HTTP_2.0", "if or a", "if a or", "if { nbsrv(be) lt 2 } || { nbsrv(be2) lt 2 }",
            "if WAIT_END", "if REQ_CONTENT", "if !REQ_CONTENT or WAIT_END", "if RDP_COOKIE");

    private static final List<String> INVALID_CONDITIONS = List.of("if c", "if { path_beg /x", "if { }",
            "if a { foo }", "unless !c", "if a or { src 1.2.3.4/40 }");

    private static final List<String> UNSUPPORTED_CONDITIONS = List.of();

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        Files.writeString(dir.resolve("ips.lst"), "# networks\n10.0.0.0/8\n  192.168.0.0/16\n2001:db8::/32\n");
        Files.writeString(dir.resolve("ua.lst"), "curl/8.0\nWget/1.21\n");
        Files.writeString(dir.resolve("hosts.map"), "www.example.com be\napi.example.com be2\n");
    }

    private enum Verdict { ACCEPTED, INVALID, UNSUPPORTED }

    private static final ProxyCatalog CATALOG = new ProxyCatalog() {
        @Override
        public boolean hasBackend(String name) {
            return Set.of("be", "be2").contains(name);
        }

        @Override
        public boolean hasFrontend(String name) {
            return name.equals("fe");
        }

        @Override
        public boolean hasServer(String backend, String server) {
            return "be".equals(backend) && server.equals("s1") || "be2".equals(backend) && server.equals("s2");
        }
    };

    private static Verdict ours(List<String> aclLines, String condition) {
        try {
            AclScope scope = new AclCompiler(dir, CATALOG).scope("fe");
            for (String line : aclLines) {
                scope.define(words(line));
            }
            if (condition != null) {
                scope.condition(words(condition));
            }
            return Verdict.ACCEPTED;
        } catch (AclException e) {
            return e.kind() == AclException.Kind.INVALID ? Verdict.INVALID : Verdict.UNSUPPORTED;
        }
    }

    /** haproxy -c's exit status and output for a frontend holding these lines. */
    private static ExternalProcess.Result haproxy(List<String> aclLines, String condition) throws IOException {
        StringBuilder cfg = new StringBuilder("""
                defaults
                  mode http
                  timeout client 1s
                  timeout server 1s
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:9
                """);
        for (String line : aclLines) {
            cfg.append("  acl ").append(line).append('\n');
        }
        cfg.append("  http-request deny ").append(condition == null ? "if " + aclLines.get(0).split(" ")[0] : condition)
                .append('\n');
        cfg.append("""
                  default_backend be
                backend be
                  server s1 127.0.0.1:9
                backend be2
                  server s2 127.0.0.1:9
                """);
        Path file = Files.createTempFile(dir, "check-", ".cfg");
        Files.writeString(file, cfg);
        try (ExternalProcess p = ExternalProcess.start("haproxy -c",
                List.of(Sluice.tool("haproxy"), "-c", "-f", file.toString()), Map.of(), dir)) {
            int exit = p.awaitExit(CHECK_TIMEOUT);
            return new ExternalProcess.Result(exit, p.output());
        }
    }

    private static void compare(List<String> aclLines, String condition, Verdict expected, List<String> mismatches)
            throws IOException {
        Verdict ours = ours(aclLines, condition);
        ExternalProcess.Result theirs = haproxy(aclLines, condition);
        String what = aclLines + (condition == null ? "" : " " + condition);
        if (ours != expected) {
            mismatches.add("sluice says " + ours + " (expected " + expected + ") for " + what);
        }
        boolean haproxyAccepts = theirs.exit() == 0;
        boolean shouldAccept = expected != Verdict.INVALID;
        if (haproxyAccepts != shouldAccept) {
            mismatches.add("haproxy exit " + theirs.exit() + " for " + what + " (sluice: " + ours + ")\n"
                    + theirs.output());
        }
    }

    @Test
    void aclLinesAgreeWithHaproxy() throws IOException {
        List<String> mismatches = new ArrayList<>();
        for (String line : VALID_ACLS) {
            compare(List.of("x " + line), null, Verdict.ACCEPTED, mismatches);
        }
        for (String line : INVALID_ACLS) {
            compare(List.of("x " + line), null, Verdict.INVALID, mismatches);
        }
        for (String line : UNSUPPORTED_ACLS) {
            compare(List.of("x " + line), null, Verdict.UNSUPPORTED, mismatches);
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void conditionsAgreeWithHaproxy() throws IOException {
        List<String> lines = ACL_LINES.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
        List<String> mismatches = new ArrayList<>();
        for (String c : VALID_CONDITIONS) {
            compare(lines, c, Verdict.ACCEPTED, mismatches);
        }
        for (String c : INVALID_CONDITIONS) {
            compare(lines, c, Verdict.INVALID, mismatches);
        }
        for (String c : UNSUPPORTED_CONDITIONS) {
            compare(lines, c, Verdict.UNSUPPORTED, mismatches);
        }
        assertEquals(List.of(), mismatches);
    }

    /** Where Sluice deliberately differs from haproxy 2.6, each with its reason. */
    @Test
    void deliberateDifferences() throws IOException {
        // fc_pp_tlv() arrived in HAProxy 2.9; Sluice offers it for the terminator's custom TLVs.
        assertEquals(Verdict.ACCEPTED, ours(List.of("x fc_pp_tlv(0xE0) -m found"), null));
        assertTrue(haproxy(List.of("x fc_pp_tlv(0xE0) -m found"), null).exit() != 0);
        // haproxy resolves host names in address patterns at startup; Sluice never resolves names.
        assertEquals(Verdict.UNSUPPORTED, ours(List.of("x src localhost"), null));
        assertEquals(0, haproxy(List.of("x src localhost"), null).exit());
    }
}
