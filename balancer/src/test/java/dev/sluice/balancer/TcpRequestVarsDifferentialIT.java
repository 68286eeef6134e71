package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set-var}/{@code unset-var} in {@code tcp-request connection|session|content} rules and
 * {@code tcp-request content} rules in HTTP backends, run by Debian's haproxy 2.6 and by our balancer
 * on the same file: each curl run (exit status and every response body, several requests on one
 * kept-alive connection) must be the same. A backend rejecting 127.0.0.1 closes the connection
 * without an answer; one without the rule answers from its http-request rules, which see the
 * variables its own content rules and the frontend's rules set.
 */
class TcpRequestVarsDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);
    /** Each curl run: bounded, so a connection left hanging fails the test instead of blocking it. */
    private static final Duration CURL = Duration.ofSeconds(10);

    private static final String CONFIG = """
            global
                nbthread 1
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
            frontend fe
                bind 127.0.0.1:%1$d
                tcp-request connection set-var(sess.conn) src
                tcp-request connection set-var(sess.gone) str(here)
                tcp-request session set-var(sess.num) int(7)
                tcp-request session unset-var(sess.gone)
                tcp-request content set-var(sess.x) src
                tcp-request content set-var(txn.len) path,lower
                tcp-request content set-var(sess.last) path unless { path /keep }
                use_backend guarded if { path_beg /guarded }
                use_backend open if { path_beg /open }
                use_backend both if { path_beg /listen }
                http-request return status 200 content-type text/plain lf-string "c=%%[var(sess.conn)] x=%%[var(sess.x)] n=%%[var(sess.num)] g=%%[var(sess.gone)] l=%%[var(txn.len)] last=%%[var(sess.last)]" if { path /vars } || { path /keep }
                default_backend open
            backend guarded
                tcp-request content set-var(txn.be) str(guarded)
                tcp-request content reject if { src 127.0.0.1 }
                http-request return status 200 content-type text/plain lf-string "be=%%[var(txn.be)]"
                server s 127.0.0.1:%3$d
            backend open
                tcp-request content set-var(txn.be) str(open)
                tcp-request content set-var(sess.seen) str(yes) if { path /open/mark }
                http-request return status 200 content-type text/plain lf-string "be=%%[var(txn.be)] x=%%[var(sess.x)] seen=%%[var(sess.seen)] l=%%[var(txn.len)]"
                server s 127.0.0.1:%3$d
            listen both
                bind 127.0.0.1:%2$d
                stick-table type ip size 10 store gpc0
                tcp-request content track-sc0 src
                tcp-request content sc-inc-gpc0(0)
                http-request return status 200 content-type text/plain lf-string "gpc0=%%[sc0_get_gpc0]"
                server s 127.0.0.1:%3$d
            """;

    /** Each entry: one curl run over one connection (URLs relative to the frontend, or "L" + path for the listen). */
    private static final List<List<String>> RUNS = List.of(
            List.of("/vars", "/vars", "/keep"),
            List.of("/open/a", "/open/mark", "/open/b"),
            List.of("/vars", "/guarded/x"),
            List.of("/guarded/x"),
            List.of("L/a", "L/b"),
            List.of("/listen/c", "/listen/d"));

    /**
     * sess.* variables set by tcp-request rules, logged by a log-format line (txn.* ones: see
     * InspectDifferentialIT).
     */
    private static final String LOG_CONFIG = """
            defaults
                mode http
                timeout connect 2s
                timeout client 5s
                timeout server 5s
                # The readiness probe's empty connection is not logged.
                option dontlognull
            frontend fe
                bind 127.0.0.1:%1$d
                log 127.0.0.1:%2$d local0
                log-format "vars c=%%[var(sess.conn)] n=%%[var(sess.num)] x=%%[var(sess.x)]"
                tcp-request connection set-var(sess.conn) src
                tcp-request session set-var(sess.num) int(7)
                tcp-request content set-var(sess.x) path
                http-request return status 200 content-type text/plain string ok
            """;

    @TempDir
    Path dir;

    @Test
    void variablesAndBackendContentRulesActAsInHaproxy() throws Exception {
        List<String> theirs = run(true);
        List<String> ours = run(false);
        // HAProxy's own answers, so that the comparison cannot pass on two empty lists.
        String vars = "c=127.0.0.1 x=127.0.0.1 n=7 g= l=/vars last=/vars|";
        assertEquals(List.of("exit 0: " + vars + vars + "c=127.0.0.1 x=127.0.0.1 n=7 g= l=/keep last=/vars|",
                "exit 0: be=open x=127.0.0.1 seen= l=/open/a|be=open x=127.0.0.1 seen=yes l=/open/mark|"
                        + "be=open x=127.0.0.1 seen=yes l=/open/b|",
                "exit 52: " + vars + "|", "exit 52: |", "exit 0: gpc0=1|gpc0=2|", "exit 0: gpc0=3|gpc0=4|"), theirs,
                "haproxy's own behaviour");
        assertEquals(theirs, ours);
    }

    @Test
    void logFormatReadsTheVariables() throws Exception {
        assertEquals(List.of("vars c=127.0.0.1 n=7 x=/a", "vars c=127.0.0.1 n=7 x=/b"), logged(true),
                "haproxy's own lines");
        assertEquals(logged(true), logged(false));
    }

    /** The messages of the log lines of two requests on one connection. */
    private List<String> logged(boolean haproxy) throws Exception {
        try (SyslogReceiver logs = new SyslogReceiver()) {
            int front = Ports.free();
            Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs-log.cfg" : "ours-log.cfg"),
                    LOG_CONFIG.formatted(front, logs.port()));
            List<String> command = haproxy ? List.of(Sluice.tool("haproxy"), "-db", "-f", cfg.toString())
                    : Sluice.command("balancer", "-f", cfg.toString());
            try (ExternalProcess process = ExternalProcess.start(haproxy ? "haproxy" : "balancer", command)) {
                process.awaitListening("127.0.0.1", front, START);
                ExternalProcess.run("curl", List.of("curl", "-s", "--max-time", "5", "http://127.0.0.1:" + front + "/a",
                        "http://127.0.0.1:" + front + "/b"), CURL).assertExit(0);
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String line = logs.next();
                    assertNotNull(line, "no log line " + i);
                    lines.add(line.substring(line.indexOf("]: ") + 3).trim());
                }
                return lines;
            }
        }
    }

    private List<String> run(boolean haproxy) throws Exception {
        int front = Ports.free();
        int listen = Ports.free();
        int unused = Ports.free();
        Path cfg = Files.writeString(dir.resolve(haproxy ? "theirs.cfg" : "ours.cfg"),
                CONFIG.formatted(front, listen, unused));
        List<String> command = haproxy ? List.of(Sluice.tool("haproxy"), "-db", "-f", cfg.toString())
                : Sluice.command("balancer", "-f", cfg.toString());
        List<String> results = new ArrayList<>();
        try (ExternalProcess process = ExternalProcess.start(haproxy ? "haproxy" : "balancer", command)) {
            process.awaitListening("127.0.0.1", front, START).awaitListening("127.0.0.1", listen, START);
            for (List<String> paths : RUNS) {
                List<String> curl = new ArrayList<>(List.of("curl", "-s", "--max-time", "5", "-w", "|"));
                for (String path : paths) {
                    curl.add(path.startsWith("L") ? "http://127.0.0.1:" + listen + path.substring(1)
                            : "http://127.0.0.1:" + front + path);
                }
                ExternalProcess.Result result = ExternalProcess.run("curl", curl, CURL);
                results.add("exit " + result.exit() + ": " + result.output());
            }
        }
        return results;
    }
}
