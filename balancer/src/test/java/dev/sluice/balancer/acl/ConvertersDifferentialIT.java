package dev.sluice.balancer.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converters of issue #8 run by Debian's haproxy 2.6 and by our balancer on the same file: one
 * {@code http-request return ... lf-string "[%[EXPR]]"} line per expression, each answered on its
 * own path, all fetched over one connection; every body must be the same. Variables and a stick
 * table the expressions read are set by rules of the same frontend.
 */
class ConvertersDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration CURL = Duration.ofSeconds(20);

    /** Request headers the expressions read, with bytes above 127 and JSON's special characters. */
    private static final List<String> HEADERS = List.of("X-A: Hello World", "X-J: a\"b\\\\c/\u00e9",
            "X-P: !#$%&'()*+,-./:;<=>?@[]^_`{|}~ az09", "X-Host: WwW.Example.COM:8443", "X-Path: ///a//b/c/");

    private static final List<String> EXPRESSIONS = List.of(
            // strings
            "str(abc),length", "src,length", "str(abcdef),bytes(2,3)", "str(abcdef),bytes(10)", "str(abc),bytes(1,-1)",
            "str(abc),bytes(-1)", "str(xxabcxx),ltrim(x)", "str(xxabcxx),rtrim(x)", "req.hdr(x-a),cut_crlf",
            "req.hdr(x-host),host_only", "req.hdr(x-host),port_only", "str([::1]:8080),host_only",
            "str(host),port_only", "str(h:abc),port_only", "str([::1]:81),port_only",
            "str(abc),concat(x,txn.s,y)", "str(abc),concat(,txn.n,)", "str(abc),concat(,txn.nothere,x)",
            "str(abc),strcmp(txn.s)", "str(abd),strcmp(txn.s)", "str(ab),strcmp(txn.s)", "str(b),strcmp(txn.n)",
            "str(abc),secure_memcmp(txn.s)", "str(abd),secure_memcmp(txn.s)",
            "str(abcabc),regsub(b,X,g)", "str(aBcABC),regsub(b,X,ig)", "str(abc),regsub(b,X)",
            "str(foo12),regsub('(foo|bar)([0-9]+)?','\\2\\1',i)", "req.hdr(x-path),regsub('/+','/','g')",
            "str(abc),regsub(x*,-,g)", "str(aaa),regsub('^a','-','g')",
            // encodings
            "str(abc),base64", "str(YWJj),b64dec", "str(YWJ=),b64dec,hex", "str(YW),b64dec,hex", "str(abcd),ub64enc",
            "str(-_8),ub64dec,hex", "str(abc),hex", "src,hex", "int(300),hex", "int(5),base64",
            "str(616263),hex2i", "str(zz),hex2i", "str(ffffffffffffffff),hex2i",
            "str(a%20b+c),url_dec", "str(a%20b+c),url_dec(1)", "str(a?x=%20b+c),url_dec", "str(a%zzb),url_dec",
            "req.hdr(x-p),url_enc", "req.hdr(x-j),url_enc", "req.hdr(x-j),json", "req.hdr(x-j),json(utf8)",
            "req.hdr(x-j),json(ascii)", "req.hdr(x-p),json",
            // hashes and digests
            "str(abc),sdbm", "str(abc),sdbm(1)", "str(abc),djb2", "str(abc),djb2(1)", "str(abc),wt6", "str(abc),crc32",
            "str(abc),crc32c", "src,crc32", "req.hdr(x-p),xxh32", "str(abc),xxh32(1)", "req.hdr(x-p),xxh64",
            "str(abc),xxh64(5)", "req.hdr(x-p),xxh3", "str(abc),xxh3(5)", "str(abc),sha1,hex", "str(abc),sha2,hex", "str(abc),sha2(224),hex",
            "str(abc),sha2(512),base64", "str(abc),digest(md5),hex", "str(abc),digest(sha384),base64",
            "str(abc),hmac(sha256,a2V5),hex", "str(abc),hmac(sha1,txn.key),hex",
            // integers
            "int(10),add(txn.n)", "int(10),add(txn.nothere)", "int(10),add(txn.s)", "int(10),sub(3)",
            "int(10),mul(txn.n)", "int(10),div(0)", "int(-7),div(2)", "int(-7),mod(2)", "int(10),mod(0)",
            "int(9223372036854775807),add(1)", "int(-9223372036854775807),mul(2)", "int(6),and(3)", "int(6),or(3)",
            "int(6),xor(3)", "int(10),neg", "int(5),cpl", "int(5),bool", "int(0),not", "int(3),odd", "int(3),even",
            "str(7x),add(1)", "str(abc),add(1)", "str(),add(1)", "str(abc),length,odd",
            // time
            "int(0),http_date", "int(0),http_date(3600)", "int(1500),http_date(0,ms)", "int(1005),http_date(0,ms)",
            "int(1234567),http_date(0,us)", "int(1700000000),utime(%Y-%m-%d %H:%M:%S)",
            "int(1700000000),utime(%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %Z %z %%)",
            "int(0),ltime(%Y%m%d%H%M%S,3600)",
            // variables and tables
            "str(abc),set-var(txn.q),concat(-,txn.q)", "int(1),set-var(txn.a),add(txn.a)",
            "str(x),set-var(txn.n,ifnotexists),concat(-,txn.n)", "str(k1),in_table(st)", "str(nope),in_table(st)",
            "str(k1),table_http_req_cnt(st)", "str(nope),table_http_req_cnt(st)", "str(k1),table_gpc0(st)",
            "str(k1),table_http_req_rate(st)", "src,table_conn_cur(ips)",
            "str(abc),unset-var(txn.s),concat(-,txn.s)",
            // the smaller ones of HAProxy 2.6's list
            "int(1),iif(yes,no)", "str(abc),iif(yes,no)", "int(258),htonl,hex", "str(abc),add_item(',',txn.n,x)",
            "str(),add_item(',',txn.n,x)", "str(abc),add_item(',',txn.nothere)", "str(abcdefg),be2hex(:,2)",
            "str(abcdefg),be2hex(--,2,1)", "str(abcdefg),be2dec(:,2)", "str(abcdefg),be2dec(-,2,1)",
            "src,be2dec(.,1)", "req.hdr(x-p),be2dec(:,8)",
            // argument quoting
            "str('a,b')", "str('a)b'),length", "str(a\\\\b)", "str('a\\2b')", "str(a\\2b)",
            "str(ab),concat('(',txn.s,')')");

    @TempDir
    Path dir;

    @Test
    void convertersGiveWhatHaproxyGives() throws Exception {
        List<String> theirs = run(true);
        List<String> ours = run(false);
        assertEquals(EXPRESSIONS.size(), theirs.size());
        // Spot checks of haproxy's own answers, so the comparison cannot pass on two empty runs.
        assertEquals("[YWJj]", theirs.get(EXPRESSIONS.indexOf("str(abc),base64")));
        assertEquals("[9223372036854775807]", theirs.get(EXPRESSIONS.indexOf("int(10),div(0)")));
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            assertEquals(theirs.get(i), ours.get(i), EXPRESSIONS.get(i));
        }
    }

    @Test
    void badArgumentsAreRefusedByBoth() throws Exception {
        for (String bad : List.of("int(1),add(foo)", "str(a),sha2(100)", "str(a),regsub(a,b,q)",
                "str(a),hmac(sha256,!!)", "int(1),http_date(0,h)", "str(a),json(bad)", "str(a),concat(a,foo)",
                "str(a),set-var(txn.x,bad)", "str(a),in_table(nope)", "str(a),digest(nope)")) {
            for (boolean haproxy : new boolean[] {true, false}) {
                Path cfg = Files.writeString(dir.resolve("bad.cfg"), config(List.of(bad), Ports.free()));
                List<String> command = haproxy ? List.of("haproxy", "-c", "-f", cfg.toString())
                        : dev.sluice.testkit.Sluice.command("balancer", "-c", "-f", cfg.toString());
                ExternalProcess.Result r = ExternalProcess.run(haproxy ? "haproxy" : "balancer", command, START);
                assertNotEquals(0, r.exit(), (haproxy ? "haproxy" : "balancer") + " accepted " + bad);
            }
        }
    }

    private static String config(List<String> expressions, int port) {
        StringBuilder c = new StringBuilder("""
                global
                    nbthread 1
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                backend st
                    stick-table type string size 10 store http_req_cnt,gpc0
                backend ips
                    stick-table type ip size 10 store conn_cur
                frontend fe
                """);
        c.append("    bind 127.0.0.1:").append(port).append('\n');
        c.append("""
                    http-request set-var(txn.n) int(7)
                    http-request set-var(txn.s) str(abc)
                    http-request set-var(txn.key) str(a2V5)
                    http-request track-sc0 str(k1) table st
                    http-request track-sc1 src table ips
                """);
        for (int i = 0; i < expressions.size(); i++) {
            c.append("    http-request return status 200 content-type text/plain lf-string \"[%[")
                    .append(expressions.get(i)).append("]]\" if { path /").append(i).append(" }\n");
        }
        return c.toString();
    }

    private List<String> run(boolean haproxy) throws Exception {
        int port = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"), config(EXPRESSIONS, port));
        List<String> curl = new ArrayList<>(List.of("curl", "-s", "--max-time", "15", "-w", "\n"));
        for (String h : HEADERS) {
            curl.add("-H");
            curl.add(h);
        }
        for (int i = 0; i < EXPRESSIONS.size(); i++) {
            curl.add("http://127.0.0.1:" + port + "/" + i);
        }
        try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
            process.awaitListening("127.0.0.1", port, START);
            ExternalProcess.Result result = ExternalProcess.run("curl", curl, CURL);
            assertEquals(0, result.exit(), result.output());
            return List.of(result.output().split("\n", -1)).subList(0, EXPRESSIONS.size());
        }
    }
}
