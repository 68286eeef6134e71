package dev.sluice.balancer.support;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's nginx as an HTTP/2 server with prior knowledge ({@code listen ... http2} on a clear-text port),
 * as a {@code proto h2} server sees it. Locations: {@code /} answers "NAME METHOD URI proto=P conn=N" with
 * nginx's connection number N also in an {@code x-conn} header; {@code /fixed} a constant body;
 * {@code /204}; {@code /404}; {@code /big} a 1 MiB file; {@code /echo} passes the request, unbuffered, to an echo server
 * (an HTTP/1.1 one, so the body streams through nginx both ways). A second, HTTP/1.1 port serves
 * {@code stub_status}, whose "accepts" counts every connection nginx took.
 */
public final class H2Nginx implements AutoCloseable {
    public static final int BIG_SIZE = 1 << 20;
    private static final Pattern ACCEPTS = Pattern.compile("\\n\\s*(\\d+)\\s+\\d+\\s+\\d+");

    private final Path dir;
    private final int port;
    private final int statusPort;
    private final ExternalProcess process;

    /** @param maxStreams nginx's {@code http2_max_concurrent_streams} (its SETTINGS_MAX_CONCURRENT_STREAMS) */
    public H2Nginx(String name, InetSocketAddress echo, int maxStreams) {
        try {
            dir = Files.createTempDirectory("sluice-h2nginx-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            port = Ports.free();
            statusPort = Ports.free();
            byte[] big = new byte[BIG_SIZE];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            Files.createDirectories(dir.resolve("www"));
            Files.write(dir.resolve("www/big"), big);
            Files.setPosixFilePermissions(dir.resolve("www/big"), PosixFilePermissions.fromString("rw-r--r--"));
            String conf = """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log stderr warn;
                    events { worker_connections 512; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      http2_max_concurrent_streams %6$d;
                      server {
                        listen 127.0.0.1:%2$d http2;
                        client_max_body_size 0;
                        location = /204 { return 204; }
                        location = /404 { return 404; }
                        location = /fixed { return 200 "fixed\\n"; }
                        location = /big { root %1$s/www; }
                        location = /echo {
                          proxy_pass http://%5$s;
                          proxy_http_version 1.1;
                          proxy_request_buffering off;
                          proxy_buffering off;
                        }
                        location / {
                          add_header x-conn $connection;
                          return 200 "%3$s $request_method $request_uri proto=$server_protocol conn=$connection\\n";
                        }
                      }
                      server {
                        listen 127.0.0.1:%4$d;
                        location / { stub_status; }
                      }
                    }
                    """.formatted(dir, port, name, statusPort, echo.getHostString() + ":" + echo.getPort(), maxStreams);
            Files.writeString(dir.resolve("nginx.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ExternalProcess.start("nginx-h2-" + name, List.of("/usr/sbin/nginx", "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"));
        process.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
        process.awaitListening("127.0.0.1", statusPort, Duration.ofSeconds(10));
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Connections nginx accepted so far on either port (the status request's own included). */
    public long accepts() {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = ACCEPTS.matcher(status);
            if (!matcher.find()) {
                throw new IllegalStateException("no accepts in " + status);
            }
            return Long.parseLong(matcher.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
