package dev.sluice.balancer.support;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's nginx as a real backend, configured by the test in a temp directory. Locations:
 * {@code /} echoes "NAME METHOD URI xff=X-FORWARDED-FOR conn=N req=M" (M counts the requests on
 * nginx's connection, so pooling is visible); {@code /204}, {@code /304} answer those statuses;
 * {@code /big} serves a 1 MiB file.
 */
public final class Nginx implements AutoCloseable {
    public static final int BIG_SIZE = 1 << 20;

    private final Path dir;
    private final int port;
    private final ExternalProcess process;

    public Nginx(String name) {
        try {
            dir = Files.createTempDirectory("sluice-nginx-");
            // nginx workers run as an unprivileged user and must read the served files.
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            port = Ports.free();
            byte[] big = new byte[BIG_SIZE];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) ('a' + i % 26);
            }
            Files.createDirectories(dir.resolve("www"));
            Files.write(dir.resolve("www/big"), big);
            Files.setPosixFilePermissions(dir.resolve("www/big"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
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
                      keepalive_requests 10000;
                      server {
                        listen 127.0.0.1:%2$d;
                        location = /204 { return 204; }
                        location = /304 { return 304; }
                        location = /big { root %1$s/www; }
                        location / { return 200 "%3$s $request_method $request_uri xff=$http_x_forwarded_for conn=$connection req=$connection_requests\\n"; }
                      }
                    }
                    """.formatted(dir, port, name);
            Files.writeString(dir.resolve("nginx.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ExternalProcess.start("nginx-" + name, List.of("/usr/sbin/nginx", "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"));
        process.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    public String describe() {
        return process.describe();
    }

    @Override
    public void close() {
        process.close();
    }
}
