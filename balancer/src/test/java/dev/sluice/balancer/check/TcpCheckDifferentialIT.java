package dev.sluice.balancer.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.Balancer;
import dev.sluice.balancer.RunningBalancer;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tcp-check rules, the protocol checks (redis, ssl-hello against {@code openssl s_server}, smtp, and mysql,
 * pgsql and ldap against peers answering with their documented packets), {@code track} and {@code agent-check}
 * (weights, drain, down, errors) side by side with Debian's
 * haproxy 2.6: both check the same scripted peers (and an {@code openssl s_server}) with the same
 * configuration, and once every check has run, each server's status, weight, check_status, check_code and
 * last_chk in {@code show stat} must be the same. HAProxy blanks last_chk while a check is in progress
 * (its check_status then starts with "* "), so a server is compared from a snapshot where it is settled.
 */
class TcpCheckDifferentialIT {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 200;
    private static final List<String> FIELDS = List.of("status", "weight", "check_status", "check_code", "last_chk",
            "tracked", "agent_status", "agent_code", "last_agt", "agent_health", "slim");

    private static final List<ScriptedPeer> peers = new ArrayList<>();
    private static ExternalProcess sslServer;
    private static Path dir;

    private static ScriptedPeer peer(String greeting, List<String> replies, boolean closeAfter) {
        ScriptedPeer peer = new ScriptedPeer(greeting, replies, closeAfter);
        peers.add(peer);
        return peer;
    }

    /** The backends, each with one server "s" (and "t" for track), as config text with its peers' ports. */
    private static String backends(int sslPort) {
        int banner = peer("hello world\r\n", List.of(), false).port();
        int bannerClose = peer("OK then\r\n", List.of(), true).port();
        int silent = peer("", List.of(), false).port();
        int pong = peer("", List.of("+PONG\r\n"), false).port();
        int redisError = peer("", List.of("-ERR wrong\r\n"), true).port();
        int smtp = peer("220 mail.example.com ESMTP\r\n", List.of("250-mail.example.com\r\n250 SIZE 100\r\n",
                "221 bye now\r\n"), true).port();
        int smtpRefused = peer("554 go away\r\n", List.of(), true).port();
        int closed = Ports.free();
        return """
                backend str_ok
                  option tcp-check
                  tcp-check expect string hello
                  server s 127.0.0.1:%1$d check
                backend str_bad
                  option tcp-check
                  tcp-check comment "banner check"
                  tcp-check expect string nope
                  server s 127.0.0.1:%2$d check
                backend rstring_ok
                  option tcp-check
                  tcp-check expect rstring ^hel+o
                  server s 127.0.0.1:%1$d check
                backend negated_fails
                  option tcp-check
                  tcp-check expect ! string hello
                  server s 127.0.0.1:%1$d check
                backend negated_passes
                  option tcp-check
                  tcp-check expect ! string ERR
                  server s 127.0.0.1:%2$d check
                backend binary_ok
                  option tcp-check
                  tcp-check expect binary 68656c6c6f
                  server s 127.0.0.1:%1$d check
                backend binary_bad
                  option tcp-check
                  tcp-check expect binary 0102
                  server s 127.0.0.1:%2$d check
                backend rbinary_ok
                  option tcp-check
                  tcp-check expect rbinary ^68656C
                  server s 127.0.0.1:%1$d check
                backend min_recv
                  option tcp-check
                  tcp-check expect min-recv 3 string nope
                  server s 127.0.0.1:%1$d check
                backend on_error
                  option tcp-check
                  tcp-check expect string nope error-status L7STS on-error "bad %%[res.payload(0,5)]"
                  server s 127.0.0.1:%2$d check
                backend timeout
                  option tcp-check
                  tcp-check send PING\\r\\n
                  tcp-check expect string PONG
                  server s 127.0.0.1:%3$d check
                backend refused
                  option tcp-check
                  server s 127.0.0.1:%4$d check
                backend connect_port
                  option tcp-check
                  tcp-check connect port %1$d
                  server s 127.0.0.1:%4$d check
                backend redis_ok
                  option redis-check
                  server s 127.0.0.1:%5$d check
                backend redis_error
                  option redis-check
                  server s 127.0.0.1:%6$d check
                backend redis_silent
                  option redis-check
                  server s 127.0.0.1:%3$d check
                backend ssl_ok
                  option ssl-hello-chk
                  server s 127.0.0.1:%9$d check
                backend ssl_bad
                  option ssl-hello-chk
                  server s 127.0.0.1:%2$d check
                backend smtp_ok
                  option smtpchk EHLO me.example
                  server s 127.0.0.1:%7$d check
                backend smtp_refused
                  option smtpchk
                  server s 127.0.0.1:%8$d check
                backend track_chain
                  server s 127.0.0.1:%4$d check
                  server t 127.0.0.1:%1$d track s
                  server u 127.0.0.1:%1$d track track_chain/t
                backend track_other
                  server t 127.0.0.1:%4$d track str_ok/s
                """.formatted(banner, bannerClose, silent, closed, pong, redisError, smtp, smtpRefused, sslPort)
                + agents(banner) + databases();
    }

    /** mysql-check, pgsql-check and ldap-check against peers that answer with the documented packets. */
    private static String databases() {
        String handshake = packet(0, "\n5.7.0-scripted\0\u0001\0\0\0abcdefgh\0");
        int mysql = peer(handshake, List.of(), false).port();
        int mysqlLogin = peer(handshake, List.of(packet(2, "\0\0\0\u0002\0\0\0")), false).port();
        int mysqlDenied = peer(handshake, List.of(packet(2, "\u00ff\u0015\u0004#28000Access denied for user")),
                true).port();
        int pgsql = peer("", List.of("R\0\0\0\b\0\0\0\0"), false).port();
        int pgsqlError = peer("", List.of("E\0\0\0\u0016SFATAL\0Mno such role\0\0"), true).port();
        int ldap = peer("", List.of("0\f\u0002\u0001\u0001a\u0007\n\u0001\0\u0004\0\u0004\0"), false).port();
        int ldapRefused = peer("", List.of("0\f\u0002\u0001\u0001a\u0007\n\u00011\u0004\0\u0004\0"), false)
                .port();
        return """
                backend mysql
                  option mysql-check
                  server s 127.0.0.1:%1$d check
                backend mysql_login
                  option mysql-check user haproxy
                  server s 127.0.0.1:%2$d check
                backend mysql_denied
                  option mysql-check user haproxy
                  server s 127.0.0.1:%3$d check
                backend pgsql
                  option pgsql-check user haproxy
                  server s 127.0.0.1:%4$d check
                backend pgsql_error
                  option pgsql-check user haproxy
                  server s 127.0.0.1:%5$d check
                backend ldap
                  option ldap-check
                  server s 127.0.0.1:%6$d check
                backend ldap_refused
                  option ldap-check
                  server s 127.0.0.1:%7$d check
                """.formatted(mysql, mysqlLogin, mysqlDenied, pgsql, pgsqlError, ldap, ldapRefused);
    }

    /** A MySQL packet: 3-byte length, sequence number, payload. */
    private static String packet(int sequence, String payload) {
        int length = payload.length();
        return "" + (char) (length & 0xff) + (char) (length >> 8 & 0xff) + (char) (length >> 16 & 0xff)
                + (char) sequence + payload;
    }

    /** agent-check: each agent answers one line and closes. */
    private static String agents(int banner) {
        int half = peer("50%\n", List.of(), true).port();
        int drain = peer("drain\n", List.of(), true).port();
        int down = peer("down #bad disk\n", List.of(), true).port();
        int upWeight = peer("up 75% maxconn:10\n", List.of(), true).port();
        int bogus = peer("bogus\n", List.of(), true).port();
        return """
                backend agent_weight
                  server s 127.0.0.1:%1$d weight 10 agent-check agent-port %2$d agent-inter 1s
                  server c 127.0.0.1:%1$d weight 10 check agent-check agent-port %2$d agent-inter 1s
                backend agent_drain
                  server s 127.0.0.1:%1$d weight 10 agent-check agent-port %3$d agent-inter 1s
                backend agent_down
                  server s 127.0.0.1:%1$d agent-check agent-port %4$d agent-inter 1s
                  server c 127.0.0.1:%1$d check agent-check agent-port %4$d agent-inter 1s
                backend agent_up
                  server s 127.0.0.1:%1$d weight 10 agent-check agent-port %5$d agent-inter 1s
                backend agent_bogus
                  server s 127.0.0.1:%1$d agent-check agent-port %6$d agent-inter 1s
                """.formatted(banner, half, drain, down, upWeight, bogus);
    }

    private static String config(int statsPort, String backends) {
        return """
                global
                  stats socket ipv4@127.0.0.1:%d level admin
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                  timeout check 500ms
                  default-server inter 1500ms rise 1 fall 1
                """.formatted(statsPort) + backends;
    }

    @BeforeAll
    static void peers() throws IOException {
        dir = Files.createTempDirectory("sluice-tcpcheck-");
        ExternalProcess.run("openssl", List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString(), "-days", "2", "-subj", "/CN=check"), Duration.ofSeconds(20))
                .assertExit(0);
    }

    @AfterAll
    static void stop() throws IOException {
        for (ScriptedPeer peer : peers) {
            peer.close();
        }
        if (sslServer != null) {
            sslServer.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void sameServerStatesAsHaproxy() throws IOException {
        int sslPort = Ports.free();
        sslServer = ExternalProcess.start("openssl-s_server", List.of("openssl", "s_server", "-quiet", "-accept",
                "127.0.0.1:" + sslPort, "-cert", dir.resolve("cert.pem").toString(), "-key",
                dir.resolve("key.pem").toString()));
        sslServer.awaitListening("127.0.0.1", sslPort, Duration.ofSeconds(10));
        String backends = backends(sslPort);
        int theirStats = Ports.free();
        int ourStats = Ports.free();
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config(theirStats, backends));
        LoadResult loaded = ConfigLoader.parse("ours.cfg", config(ourStats, backends), Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f",
                file.toString()));
             RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
            haproxy.awaitListening("127.0.0.1", theirStats, Duration.ofSeconds(10));
            compareSettled(theirStats, ourStats);
        }
    }

    @Test
    void maintenanceOfATrackedServerReachesItsFollowers() throws IOException {
        int banner = peer("hello world\r\n", List.of(), false).port();
        String backends = """
                backend track_maint
                  server c 127.0.0.1:%1$d check
                  server f 127.0.0.1:%1$d track c
                  server g 127.0.0.1:%1$d track f
                """.formatted(banner);
        int theirStats = Ports.free();
        int ourStats = Ports.free();
        Path file = dir.resolve("haproxy-maint.cfg");
        Files.writeString(file, config(theirStats, backends));
        LoadResult loaded = ConfigLoader.parse("ours.cfg", config(ourStats, backends), Map.of());
        assertTrue(loaded.isValid(), loaded.render());
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of(Sluice.tool("haproxy"), "-db", "-f",
                file.toString()));
             RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan())) {
            haproxy.awaitListening("127.0.0.1", theirStats, Duration.ofSeconds(10));
            compareSettled(theirStats, ourStats);
            for (int stats : new int[] {theirStats, ourStats}) {
                command(stats, "set server track_maint/c state maint");
            }
            Map<String, Map<String, String>> ours = compareSettled(theirStats, ourStats);
            assertEquals("MAINT (via track_maint/f)", ours.get("track_maint/g").get("status"));
        }
    }

    /** Polls both until every server is settled on both sides with equal fields, or the bound passes. */
    private static Map<String, Map<String, String>> compareSettled(int theirStats, int ourStats) throws IOException {
        Map<String, Map<String, String>> theirs = new TreeMap<>();
        Map<String, Map<String, String>> ours = new TreeMap<>();
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int servers = -1;
        while (System.nanoTime() < deadline) {
            Map<String, Map<String, String>> theirNow = servers(theirStats);
            servers = theirNow.size();
            settled(theirNow, theirs);
            settled(servers(ourStats), ours);
            if (theirs.size() == servers && theirs.equals(ours)) {
                break;
            }
            sleep();
        }
        assertTrue(servers > 0, "no servers in HAProxy's stats");
        assertEquals(theirs.toString().replace("}, ", "},\n"), ours.toString().replace("}, ", "},\n"));
        System.out.println("compared with haproxy 2.6:\n" + ours.toString().replace("}, ", "},\n"));
        return ours;
    }

    /** Keeps, per server, the latest snapshot that no check in progress blanked (and not the initial one). */
    private static void settled(Map<String, Map<String, String>> now, Map<String, Map<String, String>> kept) {
        now.forEach((server, fields) -> {
            String status = fields.get("check_status");
            String agent = fields.get("agent_status");
            if (!status.startsWith("*") && !status.equals("INI") && !agent.startsWith("*") && !agent.equals("INI")) {
                kept.put(server, fields);
            }
        });
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One runtime API command; the answer. */
    private static String command(int statsPort, String command) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), statsPort)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code show stat}: proxy/server → the compared fields, for server rows. */
    static Map<String, Map<String, String>> servers(int statsPort) throws IOException {
        String csv = command(statsPort, "show stat");
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].substring(2).split(",", -1));
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells.length < header.size() || cells[1].equals("FRONTEND") || cells[1].equals("BACKEND")) {
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String name : FIELDS) {
                fields.put(name, cells[header.indexOf(name)]);
            }
            rows.put(cells[0] + "/" + cells[1], fields);
        }
        return rows;
    }
}
