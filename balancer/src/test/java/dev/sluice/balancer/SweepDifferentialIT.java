package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.support.RawHttp;
import dev.sluice.balancer.support.ScriptedServer;
import dev.sluice.balancer.support.SideBySide;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sweep of real configurations added, beside Debian's haproxy 2.6 on the same files:
 * {@code source} binds server connections to a local address, {@code url_ip}/{@code url_port}
 * read an absolute URI, a server at {@code *:PORT} is this host, {@code default-path config}
 * finds an errorfile beside the configuration whatever the working directory, {@code stats
 * socket … user/group/mode} sets the socket's owner and mode, {@code zero-warning} refuses a
 * configuration that warns, {@code grace} keeps a stopping process listening for a while, a
 * missing {@code chroot} passes {@code -c} but stops the start, {@code strict-limits} stops a
 * start short of files, {@code log-send-hostname} names the host in syslog headers, and {@code
 * option idle-close-on-response} answers an idle client once more when stopping.
 */
class SweepDifferentialIT {
    private static final Duration START = Duration.ofSeconds(20);
    private static final Duration CHECK = Duration.ofSeconds(30);
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    @TempDir
    Path dir;

    private static String defaults() {
        return """
                global
                    nbthread 1
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                """;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static RawHttp.Response get(int port, String requestLine) {
        try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
            client.setTimeout(5_000);
            return client.send(requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n").read();
        }
    }

    @Test
    void sourceBindsTheServerConnectionToTheGivenAddress() throws Exception {
        for (boolean haproxy : new boolean[] {true, false}) {
            try (PeerRecorder server = new PeerRecorder()) {
                int port = Ports.free();
                Path cfg = write(haproxy ? "source-theirs.cfg" : "source-ours.cfg", defaults() + """
                        frontend fe
                            bind 127.0.0.1:%d
                            use_backend own if { path /own }
                            default_backend inherited
                        backend inherited
                            source 127.0.0.2
                            server s 127.0.0.1:%d
                        backend own
                            source 127.0.0.2
                            server s 127.0.0.1:%d source 127.0.0.3
                        """.formatted(port, server.port(), server.port()));
                try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                    process.awaitListening("127.0.0.1", port, START);
                    assertEquals(200, get(port, "GET / HTTP/1.1").status(), process.describe());
                    assertEquals(200, get(port, "GET /own HTTP/1.1").status(), process.describe());
                }
                assertEquals(List.of("127.0.0.2", "127.0.0.3"), server.peers(), haproxy ? "haproxy" : "ours");
            }
        }
    }

    @Test
    void urlIpAndUrlPortReadAnAbsoluteUri() throws Exception {
        // haproxy refuses an absolute URI whose authority differs from Host: each request agrees.
        String[] requests = {"GET http://10.1.2.3:8080/x HTTP/1.1\r\nHost: 10.1.2.3:8080",
                "GET http://10.1.2.3/ HTTP/1.1\r\nHost: 10.1.2.3", "GET http://example.com:81/ HTTP/1.1\r\nHost: "
                + "example.com:81", "GET /relative HTTP/1.1\r\nHost: x"};
        String[][] answers = new String[2][];
        for (int side = 0; side < 2; side++) {
            int port = Ports.free();
            Path cfg = write("url-" + side + ".cfg", defaults() + """
                    frontend fe
                        bind 127.0.0.1:%d
                        acl private url_ip 10.0.0.0/8
                        acl alt url_port 8080
                        http-request return status 200 hdr X-Ip "%%[url_ip]" hdr X-Port "%%[url_port]" if private alt
                        http-request return status 201 hdr X-Ip "%%[url_ip]" hdr X-Port "%%[url_port]" if private
                        http-request return status 203 if { url_port -m found }
                        http-request return status 204
                    """.formatted(port));
            try (ExternalProcess process = SideBySide.start(side == 0, cfg)) {
                process.awaitListening("127.0.0.1", port, START);
                answers[side] = new String[requests.length];
                for (int i = 0; i < requests.length; i++) {
                    try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                        client.setTimeout(5_000);
                        RawHttp.Response response = client.send(requests[i] + "\r\nConnection: close\r\n\r\n")
                                .read(true);
                        answers[side][i] = response.status() + " ip=" + response.header("X-Ip") + " port="
                                + response.header("X-Port");
                    }
                }
            }
        }
        assertEquals(List.of("200 ip=10.1.2.3 port=8080", "201 ip=10.1.2.3 port=80", "204 ip=null port=null",
                "204 ip=null port=null"), List.of(answers[1]));
        assertEquals(List.of(answers[0]), List.of(answers[1]));
    }

    @Test
    void aServerAtTheWildcardAddressIsThisHost() throws Exception {
        try (ScriptedServer app = new ScriptedServer(OK)) {
            for (boolean haproxy : new boolean[] {true, false}) {
                int port = Ports.free();
                Path cfg = write(haproxy ? "any-theirs.cfg" : "any-ours.cfg", defaults() + """
                        frontend fe
                            bind 127.0.0.1:%d
                            default_backend be
                        backend be
                            server s *:%d
                        """.formatted(port, app.address().getPort()));
                try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                    process.awaitListening("127.0.0.1", port, START);
                    assertEquals(200, get(port, "GET / HTTP/1.1").status(), process.describe());
                }
            }
        }
    }

    @Test
    void defaultPathConfigFindsTheErrorfileBesideTheConfiguration() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc/errors"));
        Files.writeString(etc.resolve("503.http"), "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                + "X-Page: beside\r\n\r\nbeside the config\n");
        for (boolean haproxy : new boolean[] {true, false}) {
            int port = Ports.free();
            Path cfg = Files.writeString(dir.resolve(haproxy ? "etc/theirs.cfg" : "etc/ours.cfg"), """
                    global
                        default-path config
                    defaults
                        mode http
                        timeout connect 2s
                        timeout client 5s
                        timeout server 5s
                        errorfile 503 errors/503.http
                    frontend fe
                        bind 127.0.0.1:%d
                        default_backend empty
                    backend empty
                    """.formatted(port));
            // Started from another directory: the relative name must resolve against the file's own.
            List<String> command = haproxy ? List.of(Sluice.tool("haproxy"), "-db", "-f", cfg.toString())
                    : Sluice.command("balancer", "-f", cfg.toString());
            try (ExternalProcess process = ExternalProcess.start(haproxy ? "haproxy" : "balancer", command, Map.of(),
                    dir)) {
                process.awaitListening("127.0.0.1", port, START);
                RawHttp.Response response = get(port, "GET / HTTP/1.1");
                assertEquals(503, response.status(), process.describe());
                assertEquals("beside", response.header("X-Page"), process.describe());
            }
        }
    }

    @Test
    void statsSocketOwnerAndModeAreSetAlike() throws Exception {
        String[] seen = new String[2];
        for (int side = 0; side < 2; side++) {
            int port = Ports.free();
            Path socket = dir.resolve("admin-" + side + ".sock");
            Path cfg = write("socket-" + side + ".cfg", """
                    global
                        stats socket %s user haproxy group haproxy mode 640 level admin expose-fd listeners
                    defaults
                        mode http
                        timeout connect 2s
                        timeout client 5s
                        timeout server 5s
                    frontend fe
                        bind 127.0.0.1:%d
                        http-request return status 200
                    """.formatted(socket, port));
            try (ExternalProcess process = SideBySide.start(side == 0, cfg)) {
                process.awaitListening("127.0.0.1", port, START);
                // The stats socket may be bound just after the listener, and haproxy binds it before it
                // gives it its owner and mode: wait for the expected attributes, bounded, then compare.
                for (int i = 0; i < 100; i++) {
                    seen[side] = Files.exists(socket) ? attributes(socket) : "absent";
                    if (seen[side].equals(OWNED_SOCKET)) {
                        break;
                    }
                    Thread.sleep(50);
                }
            }
        }
        assertEquals(OWNED_SOCKET, seen[0]);
        assertEquals(seen[0], seen[1]);
    }

    private static final String OWNED_SOCKET = "haproxy:haproxy rw-r-----";

    private static String attributes(Path socket) throws java.io.IOException {
        PosixFileAttributes attributes = Files.readAttributes(socket, PosixFileAttributes.class);
        return attributes.owner().getName() + ":" + attributes.group().getName() + " "
                + PosixFilePermissions.toString(attributes.permissions());
    }

    @Test
    void zeroWarningRefusesAWarningAsHaproxyDoes() throws Exception {
        String warns = """
                global
                    zero-warning
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:%d
                    cookie SRV insert
                    http-request return status 200
                """.formatted(Ports.free());
        Path cfg = write("zero.cfg", warns);
        Path clean = write("clean.cfg", warns.replace("    cookie SRV insert\n", ""));
        for (Path file : new Path[] {cfg, clean}) {
            ExternalProcess.Result theirs = ExternalProcess.run("haproxy-c",
                    List.of(Sluice.tool("haproxy"), "-c", "-f", file.toString()), CHECK);
            ExternalProcess.Result ours = ExternalProcess.run("balancer-c",
                    Sluice.command("balancer", "-c", "-f", file.toString()), CHECK);
            assertEquals(theirs.exit() == 0, ours.exit() == 0, theirs.output() + "\n" + ours.output());
            if (file == cfg) {
                assertNotEquals(0, ours.exit(), ours.output());
                assertTrue(ours.output().contains("'zero-warning' is set"), ours.output());
            }
        }
    }

    @Test
    void graceKeepsAStoppingProcessListening() throws Exception {
        for (boolean haproxy : new boolean[] {true, false}) {
            int port = Ports.free();
            Path cfg = write(haproxy ? "grace-theirs.cfg" : "grace-ours.cfg", """
                    global
                        grace 3s
                    defaults
                        mode http
                        timeout connect 2s
                        timeout client 5s
                        timeout server 5s
                    frontend fe
                        bind 127.0.0.1:%d
                        http-request return status 200
                    """.formatted(port));
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                process.awaitListening("127.0.0.1", port, START);
                process.signal("USR1"); // the soft stop, in both
                Thread.sleep(1_000);
                assertTrue(process.alive(), process.describe());
                assertEquals(200, get(port, "GET / HTTP/1.1").status(), process.describe());
                int exit = process.awaitExit(Duration.ofSeconds(15));
                assertEquals(0, exit, process.describe());
            }
        }
    }

    @Test
    void aMissingChrootPassesTheCheckButStopsTheStartInBoth() throws Exception {
        int port = Ports.free();
        Path cfg = write("chroot.cfg", """
                global
                    chroot %s
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:%d
                    http-request return status 200
                """.formatted(dir.resolve("no-such-jail"), port));
        assertEquals(0, ExternalProcess.run("haproxy-c", List.of(Sluice.tool("haproxy"), "-c", "-f", cfg.toString()),
                CHECK).exit());
        assertEquals(0, ExternalProcess.run("balancer-c", Sluice.command("balancer", "-c", "-f", cfg.toString()),
                CHECK).exit());
        for (boolean haproxy : new boolean[] {true, false}) {
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                assertNotEquals(0, process.awaitExit(START), process.describe());
            }
        }
    }

    @Test
    void strictLimitsStopsAStartWhoseMaxconnNeedsMoreFilesThanAllowed() throws Exception {
        // 2 x 20,000 connections need more files than the 20,000 a process may open here.
        int port = Ports.free();
        Path cfg = write("limits.cfg", """
                global
                    strict-limits
                    maxconn 20000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 5s
                    timeout server 5s
                frontend fe
                    bind 127.0.0.1:%d
                    http-request return status 200
                """.formatted(port));
        for (boolean haproxy : new boolean[] {true, false}) {
            try (ExternalProcess process = SideBySide.start(haproxy, cfg)) {
                assertNotEquals(0, process.awaitExit(START), process.describe());
                assertTrue(process.output().contains("FD limit") || process.output().contains("open-file limit"),
                        process.describe());
            }
        }
    }

    @Test
    void logSendHostnameWritesTheNameInTheSyslogHeader() throws Exception {
        String[] headers = new String[4];
        for (int side = 0; side < 2; side++) {
            for (int format = 0; format < 2; format++) {
                try (dev.sluice.balancer.support.SyslogReceiver syslog = new dev.sluice.balancer.support.SyslogReceiver()) {
                    int port = Ports.free();
                    Path cfg = write("host-" + side + format + ".cfg", """
                            global
                                log-send-hostname edge-7
                                log 127.0.0.1:%d %s local0
                            defaults
                                mode http
                                log global
                                option httplog
                                timeout connect 2s
                                timeout client 5s
                                timeout server 5s
                            frontend fe
                                bind 127.0.0.1:%d
                                http-request return status 200
                            """.formatted(syslog.port(), format == 0 ? "" : "format rfc5424", port));
                    try (ExternalProcess process = SideBySide.start(side == 0, cfg)) {
                        process.awaitListening("127.0.0.1", port, START);
                        assertEquals(200, get(port, "GET / HTTP/1.1").status(), process.describe());
                        String line = null;
                        for (int i = 0; i < 20 && (line == null || !line.contains("fe fe/<NOSRV>")); i++) {
                            line = syslog.next();
                        }
                        assertTrue(line != null && line.contains("fe fe/<NOSRV>"), process.describe());
                        // The header up to the message, with the date and pid taken out.
                        line = line.strip();
                        headers[side * 2 + format] = line.substring(0, line.indexOf(": ") < 0 ? line.length()
                                : line.indexOf(": ")).replaceAll("\\[\\d+]", "[PID]")
                                .replaceAll("^<(\\d+)>\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d ", "<$1>DATE ")
                                .replaceAll("^<(\\d+)>1 \\S+ (\\S+) (\\S+) \\d+ - .*", "<$1>1 DATE $2 $3 PID");
                    }
                }
            }
        }
        assertEquals("<134>DATE edge-7 haproxy[PID]", headers[2]);
        assertEquals("<134>1 DATE edge-7 haproxy PID", headers[3]);
        assertEquals(List.of(headers[0], headers[1]), List.of(headers[2], headers[3]));
    }

    @Test
    void idleCloseOnResponseAnswersAnIdleClientOnceMoreWhenStopping() throws Exception {
        String[] seen = new String[4];
        try (ScriptedServer app = new ScriptedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")) {
            for (int side = 0; side < 2; side++) {
                for (int option = 0; option < 2; option++) {
                    int port = Ports.free();
                    Path cfg = write("idle-" + side + option + ".cfg", """
                            defaults
                                mode http
                                timeout connect 2s
                                timeout client 10s
                                timeout server 10s
                                timeout http-keep-alive 10s
                                %s
                            frontend fe
                                bind 127.0.0.1:%d
                                default_backend be
                            backend be
                                server s 127.0.0.1:%d
                            """.formatted(option == 1 ? "option idle-close-on-response" : "", port,
                                    app.address().getPort()));
                    try (ExternalProcess process = SideBySide.start(side == 0, cfg)) {
                        process.awaitListening("127.0.0.1", port, START);
                        try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", port))) {
                            client.setTimeout(5_000);
                            assertEquals(200, client.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                            process.signal("USR1"); // soft stop while the connection is idle
                            Thread.sleep(1_500);
                            String outcome;
                            client.setTimeout(500);
                            boolean closed = client.closedByPeer();
                            client.setTimeout(5_000);
                            if (closed) {
                                outcome = "closed while idle";
                            } else {
                                RawHttp.Response second = client.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n").read();
                                outcome = second.status() + " connection=" + second.header("Connection");
                            }
                            seen[side * 2 + option] = outcome;
                        }
                        assertEquals(0, process.awaitExit(Duration.ofSeconds(15)), process.describe());
                    }
                }
            }
        }
        assertEquals(List.of("closed while idle", "200 connection=close"), List.of(seen[2], seen[3]));
        assertEquals(List.of(seen[0], seen[1]), List.of(seen[2], seen[3]));
    }

    /** Accepts connections, records each peer's address, answers one HTTP response and closes. */
    private static final class PeerRecorder implements AutoCloseable {
        private final ServerSocket socket;
        private final List<String> peers = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread;

        PeerRecorder() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = Thread.ofVirtual().start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        List<String> peers() {
            return List.copyOf(peers);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(5_000);
                    peers.add(((InetSocketAddress) client.getRemoteSocketAddress()).getAddress().getHostAddress());
                    InputStream in = client.getInputStream();
                    byte[] buffer = new byte[4096];
                    StringBuilder head = new StringBuilder();
                    int n;
                    while (head.indexOf("\r\n\r\n") < 0 && (n = in.read(buffer)) > 0) {
                        head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    OutputStream out = client.getOutputStream();
                    out.write(OK.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed by close(), or a peer gone: the next accept tells which
                }
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            socket.close();
            thread.join(5_000);
        }
    }
}
