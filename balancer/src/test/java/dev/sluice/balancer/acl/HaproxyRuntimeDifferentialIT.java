package dev.sluice.balancer.acl;

import static dev.sluice.balancer.acl.Acls.words;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic differential test: a real haproxy 2.6 evaluates the same ACLs and conditions on the
 * same requests (sent with a PROXY header to set the client address) and reports which conditions
 * held; the compiled conditions must agree on every one.
 */
class HaproxyRuntimeDifferentialIT {

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    private static final List<String> ACLS = List.of(
            "api path_beg /api/ /v2/",
            "static path_end -i .css .js .PNG",
            "img path_dir images",
            "pdom path_dom example",
            "plen path_len 1:8",
            "preg path_reg ^/[a-z]+/[0-9]+$",
            "www hdr_beg(host) -i www.",
            "exdom hdr_dom(host) -i example.com",
            "hostend hdr_end(host) .org",
            "xff hdr_ip(x-forwarded-for) 10.0.0.0/8",
            "xff1 req.hdr(x-forwarded-for,1) -m ip 10.0.0.0/8",
            "xffn hdr_cnt(x-forwarded-for) ge 2",
            "cl req.hdr_val(content-length) gt 100",
            "sid req.cook(SID) -m found",
            "sidv cook(SID) abc",
            "theme cook_beg(theme) da",
            "dbg url_param(debug) 1",
            "page urlp_val(page) 2:5",
            "q query -m sub token=",
            "qf query -m found",
            "u url_beg http://",
            "usub url_sub ?",
            "meth method PURGE",
            "methi method -i purge",
            "internal src 10.0.0.0/8 2001:db8::/32",
            "lo src 192.0.2.0/24",
            "hiport src_port gt 30000",
            "dport dst_port 8080",
            "mapped req.hdr(host),lower,map(hosts.map) -m found",
            "mapbe req.hdr(host),lower,map(hosts.map,none) -m beg be_",
            "pfx path,map_beg(prefixes.map) be_api_v2",
            "dom req.hdr(host),map_dom(domains.map) be_org",
            "mask src,ipmask(16) 10.1.0.0",
            "w1 req.hdr(host),word(1,.) -i www",
            "f2 path,field(3,/) users",
            "up req.hdr(x-mode),upper TEST",
            "ua hdr(user-agent) -f ua.lst",
            "uai hdr(user-agent) -i -f ua.lst",
            "bad src -f ips.lst",
            "len6 req.hdr(x-mode) -m len 4",
            "ipm src,map_ip(nets.map) -m found",
            "regm path,map_regm(regex.map) -m beg api-",
            "xint req.hdr(x-mode) -m int eq 0",
            "xbool req.hdr(x-mode) -m bool");

    private static final List<String> CONDITIONS = List.of("api", "static", "img", "pdom", "plen", "preg", "www",
            "exdom", "hostend", "xff", "xff1", "xffn", "cl", "sid", "sidv", "theme", "dbg", "page", "q", "qf", "u",
            "usub", "meth", "methi", "internal", "lo", "hiport", "dport", "mapped", "mapbe", "pfx", "dom", "mask",
            "w1", "f2", "up", "ua", "uai", "bad", "len6", "ipm", "regm", "xint", "xbool", "api !static", "api or static", "!api www || exdom sid",
            "METH_GET", "METH_POST", "HTTP_1.1", "HTTP_1.0", "HTTP_URL_ABS", "HTTP_URL_SLASH", "HTTP_CONTENT",
            "LOCALHOST", "TRUE", "FALSE", "{ path_sub /users } { hdr(host) -m found }", "! { method GET HEAD }");

    /** Sample expressions whose printed value ({@code %[expr]}) must be the same as haproxy's. */
    private static final List<String> EXPRESSIONS = List.of("path", "query", "url", "url_param(debug)", "urlp(page)",
            "req.hdr(host)", "req.hdr(x-forwarded-for)", "req.hdr(x-forwarded-for,1)", "req.fhdr(x-forwarded-for)",
            "hdr(x-forwarded-for,-2)", "req.cook(SID)", "req.cook(theme)", "req.cook", "req.hdr_cnt(cookie)",
            "req.hdr_cnt(x-forwarded-for)", "req.hdr_val(content-length)", "req.hdr(host),lower", "req.hdr(host),upper",
            "req.hdr(host),lower,map(hosts.map,none)", "path,map_beg(prefixes.map,none)",
            "req.hdr(host),lower,map_dom(domains.map,none)", "src", "src,ipmask(16)", "src,ipmask(16,32)",
            "src,ipmask(255.255.255.0,ffff:ffff:ffff::)", "src_port", "dst_port", "path,word(1,/)", "path,word(-1,/)",
            "path,word(2,/,0)", "path,word(-2,/,2)", "path,field(2,/)", "path,field(-2,/,2)", "path,field(3,/,0)",
            "req.hdr(host),field(1,.)", "req.hdr(host),word(-2,.)", "req.hdr(host),word(2,.:,0)", "method",
            "req.ver", "req.hdr_ip(x-forwarded-for)", "urlp_val(page)", "req.cook_cnt(SID)", "req.cook_val(n)",
            "query,field(2,&)", "url,word(1,?)", "src,map_ip(nets.map,none)",
            "req.hdr(x-forwarded-for,1),map_ip(nets.map,none)", "src,map_ip_int(nets-int.map,0)",
            "path,map_reg(regex.map,none)", "path,map_regm(regex.map,none)", "src_port,map_int(ports.map,none)",
            "req.hdr(x-mode),map_int(ports.map,none)", "req.hdr(x-mode),map_str_int(modes.map,-1)",
            "req.hdr(host),lower,map_str_ip(hostips.map,0.0.0.0)", "req.hdr_val(content-length),map_int_int(ports-int.map,7)");

    /** One request: PROXY source, the request line and headers. */
    private record Probe(String source, int sourcePort, String method, String uri, List<String[]> headers) {
    }

    private static List<String[]> headers(String... nameValue) {
        List<String[]> list = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            list.add(new String[] {nameValue[i], nameValue[i + 1]});
        }
        return list;
    }

    private static final List<Probe> PROBES = List.of(
            new Probe("10.1.2.3", 40000, "GET", "/api/users/7?debug=1&page=3",
                    headers("Host", "WWW.Example.com", "Cookie", "SID=abc; theme=dark", "User-Agent", "curl/8.0")),
            new Probe("192.0.2.9", 1234, "POST", "/static/app.CSS",
                    headers("Host", "static.example.org", "Content-Length", "0", "X-Forwarded-For",
                            "10.9.9.9, 172.16.0.1", "X-Mode", "test")),
            new Probe("2001:db8::7", 50000, "PURGE", "/images/x.png?token=zzz",
                    headers("Host", "api.example.com", "X-Forwarded-For", "192.168.1.1", "X-Forwarded-For",
                            "10.0.0.1", "User-Agent", "CURL/8.0")),
            new Probe("198.51.100.20", 31000, "purge", "/abc/123",
                    headers("Host", "www.example.net:8080", "Cookie", "SID=zzz", "Cookie", "theme=light; SID=abc")),
            new Probe("127.0.0.1", 20000, "GET", "http://www.example.org/v2/items?q",
                    headers("Host", "www.example.org", "X-Mode", "prod")),
            new Probe("10.200.0.1", 45000, "OPTIONS", "/",
                    headers("Host", "a.b.example.com", "User-Agent", "Wget/1.21")),
            new Probe("203.0.113.5", 33333, "DELETE", "/api/v2/users?page=9&debug=0",
                    headers("Host", "x.example.org", "Content-Length", "0", "Cookie", "theme=dark")),
            new Probe("::ffff:192.0.2.44", 44444, "GET", "/a;page=2/b?debug=1;page=4&x",
                    headers("Host", "www.example.com", "X-Forwarded-For", "\"[2001:db8::1]:80\", 10.1.1.1:8080",
                            "Cookie", "SID=; theme = dark , n=12", "Content-Length", "0")),
            new Probe("2001:db8:0:0:1::1", 1, "GET", "/?page=&debug=1&debug=2",
                    headers("Host", "WWW.EXAMPLE.COM.", "X-Forwarded-For", "junk, 300.1.1.1, 10.0.0.9",
                            "Cookie", "n=abc", "X-Mode", "TeSt")));

    @TempDir
    Path dir;

    @Test
    void haproxyAndSluiceAgreeOnEveryConditionForEveryRequest() throws IOException {
        writeFiles();

        AclScope scope = new AclCompiler(dir, ProxyCatalog.ANY).scope("fe");
        for (String acl : ACLS) {
            scope.define(words(acl));
        }
        List<Condition> conditions = new ArrayList<>();
        for (String c : CONDITIONS) {
            conditions.add(scope.condition(words("if " + c)));
        }

        int port = Ports.free();
        StringBuilder cfg = new StringBuilder("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                  timeout connect 10s
                frontend fe
                """);
        cfg.append("  bind 127.0.0.1:").append(port).append(" accept-proxy\n");
        for (String acl : ACLS) {
            cfg.append("  acl ").append(acl).append('\n');
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < CONDITIONS.size(); i++) {
            cfg.append("  http-request set-var(txn.c").append(i).append(") str(1) if ").append(CONDITIONS.get(i))
                    .append('\n');
            body.append(i == 0 ? "" : ";").append(i).append('=').append("%[var(txn.c").append(i).append(")]");
        }
        cfg.append("  http-request return status 200 content-type text/plain lf-string \"").append(body).append("\"\n");
        Path file = dir.resolve("runtime.cfg");
        Files.writeString(file, cfg);

        List<String> mismatches = new ArrayList<>();
        int[] verdicts = new int[2];
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()), Map.of(), dir)) {
            haproxy.awaitListening("127.0.0.1", port, STARTUP);
            for (Probe probe : PROBES) {
                String answer = send(port, probe);
                String[] theirs = answer.trim().split(";", -1);
                assertEquals(CONDITIONS.size(), theirs.length, answer + "\n" + haproxy.describe());
                TestRequest request = mirror(probe, port);
                for (int i = 0; i < CONDITIONS.size(); i++) {
                    boolean haproxySays = theirs[i].equals(i + "=1");
                    boolean sluiceSays = conditions.get(i).test(request);
                    verdicts[haproxySays ? 1 : 0]++;
                    if (haproxySays != sluiceSays) {
                        mismatches.add("if " + CONDITIONS.get(i) + " on " + probe.method() + " " + probe.uri() + " from "
                                + probe.source() + ": haproxy " + haproxySays + ", sluice " + sluiceSays);
                    }
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(verdicts[0] > 100 && verdicts[1] > 100, "haproxy said false " + verdicts[0] + " times, true "
                + verdicts[1] + " times: the probes do not tell the conditions apart");
    }

    @Test
    void haproxyAndSluicePrintTheSameSampleValues() throws IOException {
        writeFiles();
        AclCompiler compiler = new AclCompiler(dir, ProxyCatalog.ANY);
        List<SampleExpression> expressions = new ArrayList<>();
        for (String e : EXPRESSIONS) {
            expressions.add(compiler.sampleExpression(e, "fe"));
        }
        int port = Ports.free();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            body.append(i == 0 ? "" : "|").append("%[").append(EXPRESSIONS.get(i)).append(']');
        }
        Path file = dir.resolve("samples.cfg");
        Files.writeString(file, """
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                  timeout connect 10s
                frontend fe
                  bind 127.0.0.1:%d accept-proxy
                  http-request return status 200 content-type text/plain lf-string "%s"
                """.formatted(port, body));
        List<String> mismatches = new ArrayList<>();
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy",
                List.of(Sluice.tool("haproxy"), "-db", "-f", file.toString()), Map.of(), dir)) {
            haproxy.awaitListening("127.0.0.1", port, STARTUP);
            for (Probe probe : PROBES) {
                String answer = send(port, probe);
                String[] theirs = answer.split("\\|", -1);
                assertEquals(EXPRESSIONS.size(), theirs.length, answer + "\n" + haproxy.describe());
                TestRequest request = mirror(probe, port);
                for (int i = 0; i < EXPRESSIONS.size(); i++) {
                    String ours = expressions.get(i).evaluateString(request);
                    // lf-string prints an absent sample as nothing.
                    String printed = ours == null ? "" : ours;
                    if (!printed.equals(theirs[i])) {
                        mismatches.add("%[" + EXPRESSIONS.get(i) + "] on " + probe.method() + " " + probe.uri()
                                + " from " + probe.source() + ": haproxy '" + theirs[i] + "', sluice '" + printed + "'");
                    }
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    private void writeFiles() throws IOException {
        Files.writeString(dir.resolve("hosts.map"), "www.example.com be_www\napi.example.com be_api\n");
        Files.writeString(dir.resolve("prefixes.map"), "/api be_api\n/api/v2 be_api_v2\n/static be_static\n");
        Files.writeString(dir.resolve("domains.map"), "example.org be_org\nexample.com be_com\n");
        Files.writeString(dir.resolve("ua.lst"), "# agents\ncurl/8.0\n");
        Files.writeString(dir.resolve("ips.lst"), "198.51.100.0/24\n2001:db8::/48\n");
        Files.writeString(dir.resolve("nets.map"), "10.0.0.0/8 ten\n10.1.0.0/16 ten-one\n10.1.2.3 host\n10.1.0.0/16 dup\n"
                + "::ffff:192.0.2.0/120 mapped\n2001:db8::/32 doc6\n2001:db8::7 doc6-host\n0.0.0.0/0 any\n");
        Files.writeString(dir.resolve("nets-int.map"), "10.0.0.0/8 10\n192.0.2.0/24 24\n2001:db8::/32 6\n");
        Files.writeString(dir.resolve("regex.map"), "^/api/(v[0-9]+)/(.*)$ api-\\2-\\1\n^/(static|images)/ files-\\1-\\3\n"
                + "[0-9]+$ num\n");
        Files.writeString(dir.resolve("ports.map"), "1 one\n30000:40000 mid\n50000: high\n:100 low\n");
        Files.writeString(dir.resolve("ports-int.map"), "0 100\n1:1000 200\n");
        Files.writeString(dir.resolve("modes.map"), "test 1\nprod 2\n");
        Files.writeString(dir.resolve("hostips.map"), "www.example.com 10.0.0.1\napi.example.com 2001:db8::1\n");
    }

    private static TestRequest mirror(Probe probe, int port) {
        TestRequest r = TestRequest.get(probe.uri()).method(probe.method()).source(probe.source());
        r.sourcePort = probe.sourcePort();
        r.destination = IpAddress.parse(probe.source().contains(":") ? "::1" : "127.0.0.1");
        r.destinationPort = 8080;
        for (String[] h : probe.headers()) {
            r.header(h[0], h[1]);
        }
        r.header("Connection", "close");
        return r;
    }

    private static String send(int port, Probe probe) throws IOException {
        boolean v6 = probe.source().contains(":");
        StringBuilder request = new StringBuilder();
        request.append("PROXY ").append(v6 ? "TCP6 " : "TCP4 ").append(probe.source()).append(' ')
                .append(v6 ? "::1" : "127.0.0.1").append(' ').append(probe.sourcePort()).append(" 8080\r\n");
        request.append(probe.method()).append(' ').append(probe.uri()).append(" HTTP/1.1\r\n");
        for (String[] h : probe.headers()) {
            request.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            String text = response.toString(StandardCharsets.ISO_8859_1);
            assertTrue(text.startsWith("HTTP/1.1 200"), text);
            return text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }
}
