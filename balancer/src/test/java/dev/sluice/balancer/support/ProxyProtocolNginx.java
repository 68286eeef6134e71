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
 * Debian's nginx listening with {@code proxy_protocol} (it takes v1 and v2, and refuses a connection without a
 * header): every answer is "PROXY-SOURCE-ADDR:PORT conn=N req=M", N being nginx's connection number, so a test
 * sees whose header opened the connection and which connection carried the request.
 */
public final class ProxyProtocolNginx implements AutoCloseable {
    private final int port;
    private final ExternalProcess process;

    public ProxyProtocolNginx() {
        try {
            Path dir = Files.createTempDirectory("sluice-nginx-pp-");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            port = Ports.free();
            String conf = """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log stderr crit;
                    events { worker_connections 256; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      keepalive_requests 10000;
                      server {
                        listen 127.0.0.1:%2$d proxy_protocol;
                        location / { return 200 "$proxy_protocol_addr:$proxy_protocol_port conn=$connection req=$connection_requests\\n"; }
                      }
                    }
                    """.formatted(dir, port);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            process = ExternalProcess.start("nginx-pp", List.of("/usr/sbin/nginx", "-p", dir.toString(),
                    "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.awaitListening("127.0.0.1", port, Duration.ofSeconds(10));
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public void close() {
        process.close();
    }
}
