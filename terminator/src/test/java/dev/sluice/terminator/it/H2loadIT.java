package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: h2load through the terminator, TLS with ALPN h2 (multiplexed streams) to an h2c
 * backend and ALPN http/1.1 to an HTTP/1.1 backend. The backend is nginx reading the PROXY v2
 * header we write, so both the TLS side and the header are exercised; every request must succeed.
 */
class H2loadIT extends LoopbackFixture {
    private static final int REQUESTS = 2000;
    private static final int CLIENTS = 20;
    private static final int STREAMS_PER_CLIENT = 10;
    private static final Pattern SUMMARY = Pattern.compile(
            "requests: (\\d+) total, \\d+ started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");
    private static final Pattern STATUS_2XX = Pattern.compile("status codes: (\\d+) 2xx");

    @Test
    void h2OverTlsToAnH2cBackend() throws Exception {
        run("h2", List.of("-m", String.valueOf(STREAMS_PER_CLIENT)), "Application protocol: h2");
    }

    @Test
    void http11OverTlsToAnHttp11Backend() throws Exception {
        run("http/1.1", List.of("--h1"), "Application protocol: http/1.1");
    }

    private void run(String alpn, List<String> mode, String expectedProtocol) throws Exception {
        int h2cPort = Ports.free();
        int http11Port = Ports.free();
        int port = Ports.free();
        Path prefix = Files.createTempDirectory(dir, "nginx");
        Path conf = Files.writeString(prefix.resolve("nginx.conf"), nginxConfig(prefix, h2cPort, http11Port));
        try (ExternalProcess nginx = ExternalProcess.start("nginx", List.of(Sluice.tool("nginx"), "-p",
                        prefix.toString(), "-c", conf.toString(), "-e", "stderr"))
                     .awaitListening("127.0.0.1", h2cPort, START)
                     .awaitListening("127.0.0.1", http11Port, START);
             ExternalProcess terminator = terminator(port,
                     "--backend=[127.0.0.1]:" + (alpn.equals("h2") ? h2cPort : http11Port),
                     "--write-proxy-v2", "--alpn-protos=" + alpn)) {
            List<String> command = new java.util.ArrayList<>(List.of(Sluice.tool("h2load"), "-n",
                    String.valueOf(REQUESTS), "-c", String.valueOf(CLIENTS)));
            command.addAll(mode);
            command.add("https://127.0.0.1:" + port + "/");
            String output = ExternalProcess.run("h2load", command, WAIT).assertExit(0).output();
            String context = output + "\n" + terminator.describe() + "\n" + nginx.describe();
            assertTrue(output.contains(expectedProtocol), context);
            Matcher summary = SUMMARY.matcher(output);
            assertTrue(summary.find(), context);
            assertTrue(Integer.parseInt(summary.group(1)) == REQUESTS
                    && Integer.parseInt(summary.group(2)) == REQUESTS
                    && Integer.parseInt(summary.group(3)) == REQUESTS
                    && Integer.parseInt(summary.group(4)) == 0
                    && Integer.parseInt(summary.group(5)) == 0, "all requests succeed: " + context);
            Matcher ok = STATUS_2XX.matcher(output);
            assertTrue(ok.find() && Integer.parseInt(ok.group(1)) == REQUESTS, context);
        }
    }

    /** One nginx, in the foreground, answering 200 on an h2c and an HTTP/1.1 port, both behind PROXY. */
    private static String nginxConfig(Path prefix, int h2cPort, int http11Port) {
        return """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log stderr warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d http2 proxy_protocol;
                        location / { return 200 "h2c ok\\n"; }
                    }
                    server {
                        listen 127.0.0.1:%3$d proxy_protocol;
                        location / { return 200 "http/1.1 ok\\n"; }
                    }
                }
                """.formatted(prefix, h2cPort, http11Port);
    }
}
