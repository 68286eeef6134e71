package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.SyslogReceiver;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS passthrough routed by SNI, and protocol sniffing, through Debian's haproxy 2.6 and through
 * ours with the same configuration: {@code tcp-request inspect-delay} and {@code tcp-request
 * content} rules, {@code use_backend} on {@code req_ssl_sni}. The backends are one nginx with a
 * TLS server per backend (its own certificate, a body naming it) and a plain HTTP one. Clients:
 * {@code openssl s_client} with and without a server name, plain bytes, a silent client that
 * says hello only after the delay, and non-TLS protocols; each must end at the same backend (or be
 * refused the same way) in both.
 */
class SniRoutingDifferentialIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The inspect-delay of the test frontends: short, so expiry cases stay quick. */
    private static final int DELAY_MS = 1000;
    private static final String GET = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";

    private static final String CONFIG = """
            global
              nbthread 1
              log 127.0.0.1:%9$d local0
            defaults
              mode tcp
              timeout connect 2s
              timeout client 10s
              timeout server 10s
            frontend tls
              mode tcp
              bind 127.0.0.1:%1$d
              tcp-request inspect-delay %5$dms
              tcp-request content accept if { req_ssl_hello_type 1 }
              use_backend be_a if { req_ssl_sni -i a.example }
              use_backend be_b if { req.ssl_sni -m end .b.example }
              use_backend be_b if { req.ssl_alpn x-second }
              default_backend be_default
            frontend strict
              bind 127.0.0.1:%2$d
              log global
              log-format "%%ft %%b %%ts %%U"
              tcp-request inspect-delay %5$dms
              tcp-request content reject unless { req.ssl_hello_type 1 }
              tcp-request content accept
              use_backend be_a if { req_ssl_sni -i a.example }
              default_backend be_default
            frontend sniff
              bind 127.0.0.1:%3$d
              tcp-request inspect-delay %5$dms
              tcp-request content accept if HTTP
              tcp-request content accept if { req.payload(0,1) -m bin 16 }
              tcp-request content reject if WAIT_END
              use_backend be_http if HTTP
              use_backend be_http if { req.payload(0,3) -m bin 474554 }
              default_backend be_default
            backend be_a
              server s 127.0.0.1:%4$d
            backend be_b
              server s 127.0.0.1:%6$d
            backend be_default
              server s 127.0.0.1:%7$d
            backend be_http
              server s 127.0.0.1:%8$d
            """;

    @TempDir
    static Path dir;
    private static ExternalProcess nginx;
    private static ExternalProcess haproxy;
    private static RunningBalancer ours;
    /** Where each writes the access log of the strict frontend. */
    private static SyslogReceiver theirLog;
    private static SyslogReceiver ourLog;
    /** Ports of the tls, strict and sniff frontends: haproxy's, then ours. */
    private static int[] theirPorts;
    private static int[] ourPorts;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int a = Ports.free();
        int b = Ports.free();
        int fallback = Ports.free();
        int http = Ports.free();
        for (String name : List.of("a.example", "b.example", "default")) {
            ExternalProcess.run("openssl", List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=" + name, "-keyout",
                    dir.resolve(name + ".key").toString(), "-out", dir.resolve(name + ".crt").toString()), WAIT)
                    .assertExit(0);
        }
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log stderr warn;
                events { worker_connections 128; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server { listen 127.0.0.1:%2$d ssl; ssl_certificate %1$s/a.example.crt;
                           ssl_certificate_key %1$s/a.example.key; return 200 "backend a\\n"; }
                  server { listen 127.0.0.1:%3$d ssl; ssl_certificate %1$s/b.example.crt;
                           ssl_certificate_key %1$s/b.example.key; return 200 "backend b\\n"; }
                  server { listen 127.0.0.1:%4$d ssl; ssl_certificate %1$s/default.crt;
                           ssl_certificate_key %1$s/default.key; return 200 "backend default\\n"; }
                  server { listen 127.0.0.1:%5$d; return 200 "backend http\\n"; }
                }
                """.formatted(dir, a, b, fallback, http));
        nginx = ExternalProcess.start("nginx-sni", List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString(), "-g", "daemon off;"));
        nginx.awaitListening("127.0.0.1", http, WAIT);
        theirLog = new SyslogReceiver();
        ourLog = new SyslogReceiver();
        theirPorts = new int[] {Ports.free(), Ports.free(), Ports.free()};
        ourPorts = new int[] {Ports.free(), Ports.free(), Ports.free()};
        Path theirs = dir.resolve("haproxy.cfg");
        Files.writeString(theirs, CONFIG.formatted(theirPorts[0], theirPorts[1], theirPorts[2], a, DELAY_MS, b,
                fallback, http, theirLog.port()));
        Path mine = dir.resolve("sluice.cfg");
        Files.writeString(mine, CONFIG.formatted(ourPorts[0], ourPorts[1], ourPorts[2], a, DELAY_MS, b, fallback,
                http, ourLog.port()));
        haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", theirs.toString()));
        for (int port : theirPorts) {
            haproxy.awaitListening("127.0.0.1", port, WAIT);
        }
        // haproxy's readiness probe (connect, send nothing, close) is rejected by the strict frontend: logged.
        assertEquals("strict strict PR 0", logLine(theirLog));
        LoadResult loaded = ConfigLoader.load(List.of(mine));
        assertTrue(loaded.config().isPresent(), () -> loaded.toString());
        ours = Balancer.start(Compiler.compile(loaded.config().orElseThrow()).plan());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (ours != null) {
            ours.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        for (SyslogReceiver receiver : new SyslogReceiver[] {theirLog, ourLog}) {
            if (receiver != null) {
                receiver.close();
            }
        }
    }

    /** The message of the next access-log line (after the syslog header and tag). */
    private static String logLine(SyslogReceiver receiver) throws InterruptedException {
        String datagram = receiver.next();
        return datagram == null ? "no log line" : datagram.substring(datagram.indexOf("]: ") + 3).strip();
    }

    /** The last line an {@code openssl s_client} GET printed: the backend's name, or what went wrong. */
    private static String sClient(int port, String serverName) {
        return sClient(port, serverName, "");
    }

    private static String sClient(int port, String serverName, String options) {
        String sni = (serverName == null ? "-noservername" : "-servername " + serverName) + " " + options;
        ExternalProcess.Result result = ExternalProcess.run("s_client", List.of("bash", "-c", "printf '"
                + GET.replace("\r\n", "\\r\\n") + "' | openssl s_client -connect 127.0.0.1:" + port + " " + sni
                + " -quiet 2>/dev/null; echo \"exit=$?\""), WAIT);
        List<String> lines = result.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String body = lines.stream().filter(l -> l.startsWith("backend ")).findFirst().orElse("no backend");
        return body + " " + lines.getLast();
    }

    /** What a plain client gets back for {@code bytes}: the first line, "closed" or "timeout". */
    private static String plain(int port, String bytes, Duration wait) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) wait.toMillis());
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            return firstLineOrEnd(socket.getInputStream());
        } catch (IOException e) {
            return "error " + e.getClass().getSimpleName();
        }
    }

    private static String firstLineOrEnd(InputStream in) throws IOException {
        try {
            byte[] all = in.readAllBytes();
            if (all.length == 0) {
                return "closed";
            }
            String text = new String(all, StandardCharsets.ISO_8859_1);
            return text.lines().findFirst().orElse("") + " / " + text.lines().reduce((x, y) -> y).orElse("");
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (java.net.SocketException e) {
            return "reset";
        }
    }

    /**
     * A TLS client that connects, stays silent for {@code silence}, then sends its hello for
     * {@code serverName}; the backend name it reads, or the failure.
     */
    private static String lateHello(int port, String serverName, Duration silence) {
        try (Socket raw = new Socket("127.0.0.1", port)) {
            raw.setSoTimeout((int) WAIT.toMillis());
            Thread.sleep(silence.toMillis());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingManager()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(serverName)));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                String subject = ((X509Certificate) tls.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName();
                tls.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
                String reply = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                return subject + " " + reply.lines().reduce((x, y) -> y).orElse("");
            }
        } catch (IOException e) {
            return "error " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificates are made by the test; what is checked is which one comes back. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static void same(String expected, String theirs, String ours, String what) {
        assertEquals(theirs, ours, what + " (haproxy: " + theirs + ")");
        assertTrue(theirs.startsWith(expected), what + ": haproxy itself answered " + theirs);
    }

    @Test
    void serverNamesPickTheBackend() {
        for (Map.Entry<String, String> c : Map.of("a.example", "backend a", "A.Example", "backend a",
                "www.b.example", "backend b", "b.example", "backend default", "c.example", "backend default").entrySet()) {
            same(c.getValue(), sClient(theirPorts[0], c.getKey()), sClient(ourPorts[0], c.getKey()), c.getKey());
        }
        same("backend default", sClient(theirPorts[0], null), sClient(ourPorts[0], null), "no server name");
    }

    @Test
    void anyOfferedAlpnProtocolMatches() {
        String alpn = "-alpn http/1.1,x-second";
        same("backend b", sClient(theirPorts[0], "c.example", alpn), sClient(ourPorts[0], "c.example", alpn),
                "second ALPN protocol");
        same("backend default", sClient(theirPorts[0], "c.example", "-alpn http/1.1"),
                sClient(ourPorts[0], "c.example", "-alpn http/1.1"), "other ALPN protocol");
    }

    @Test
    void plainBytesAreNotAHelloAndGoToTheDefault() {
        // Not a hello: the accept rule does not match, no rule decides, the connection is accepted at
        // once and routed to the default backend, a TLS server that refuses plain HTTP in its own words.
        Duration wait = Duration.ofSeconds(5);
        same("HTTP/1.1 400", plain(theirPorts[0], GET, wait), plain(ourPorts[0], GET, wait), "plain HTTP");
    }

    @Test
    void aStrictFrontendRejectsWhatIsNotTls() throws InterruptedException {
        Duration wait = Duration.ofSeconds(5);
        same("closed", plain(theirPorts[1], GET, wait), plain(ourPorts[1], GET, wait), "plain HTTP, strict");
        // Logged alike: no backend, the proxy refused it during the request ("PR"), the bytes it read.
        same("strict strict PR " + GET.length(), logLine(theirLog), logLine(ourLog), "log of the rejected session");
        same("backend a", sClient(theirPorts[1], "a.example"), sClient(ourPorts[1], "a.example"), "TLS, strict");
        // The relayed session's frontend and backend; its termination flags ("--" or "SD") depend
        // on whether openssl's server or client closes first, in either process.
        String theirs = logLine(theirLog);
        String ours = logLine(ourLog);
        assertEquals(String.join(" ", java.util.Arrays.copyOf(theirs.split(" "), 2)),
                String.join(" ", java.util.Arrays.copyOf(ours.split(" "), 2)),
                "log of the relayed session (haproxy: " + theirs + ", ours: " + ours + ")");
    }

    @Test
    void theDelayExpiresBeforeALateHello() {
        // At expiry the rules run on nothing: no hello, so no match, accept, and no server name:
        // the default backend was chosen before the hello came, so its certificate answers.
        Duration silence = Duration.ofMillis(DELAY_MS + 600);
        String theirs = lateHello(theirPorts[0], "a.example", silence);
        assertEquals(theirs, lateHello(ourPorts[0], "a.example", silence));
        assertTrue(theirs.startsWith("CN=default backend default"), theirs);
        // Said in time, the same hello is routed by its name.
        String inTime = lateHello(ourPorts[0], "a.example", Duration.ZERO);
        assertEquals(lateHello(theirPorts[0], "a.example", Duration.ZERO), inTime);
        assertTrue(inTime.startsWith("CN=a.example backend a"), inTime);
    }

    @Test
    void protocolSniffing() {
        Duration wait = Duration.ofSeconds(5);
        same("HTTP/1.1 200", plain(theirPorts[2], GET, wait), plain(ourPorts[2], GET, wait), "HTTP sniffed");
        same("backend default", sClient(theirPorts[2], "a.example"), sClient(ourPorts[2], "a.example"),
                "TLS sniffed");
        // Neither HTTP nor TLS: WAIT_END rejects when the delay ends.
        long start = System.nanoTime();
        String theirs = plain(theirPorts[2], "SSH-2.0-OpenSSH_9.2\r\n", wait);
        long theirMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        String mine = plain(ourPorts[2], "SSH-2.0-OpenSSH_9.2\r\n", wait);
        long ourMillis = (System.nanoTime() - start) / 1_000_000;
        same("closed", theirs, mine, "ssh banner");
        assertTrue(theirMillis >= DELAY_MS - 100 && ourMillis >= DELAY_MS - 100,
                "both waited for the delay: haproxy " + theirMillis + " ms, ours " + ourMillis + " ms");
        // An HTTP head that never completes is rejected at the delay too.
        same("closed", plain(theirPorts[2], "GET / HTTP/1.1\r\nHost: x\r\n", wait),
                plain(ourPorts[2], "GET / HTTP/1.1\r\nHost: x\r\n", wait), "incomplete head");
    }
}
