package dev.sluice.balancer.support;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * Debian's nginx as a TLS server (TLS 1.2 and 1.3, h2 and http/1.1 by ALPN, client certificates asked for
 * but optional, a session cache and tickets), and a clear-text port beside it. Every answer is one line
 * telling what nginx saw of the connection: {@code sni=$ssl_server_name proto=$ssl_protocol
 * reused=$ssl_session_reused dn=$ssl_client_s_dn http=$server_protocol method=$request_method
 * conn=$connection}.
 */
public final class TlsNginx implements AutoCloseable {
    private final int tlsPort;
    private final int plainPort;
    private final ExternalProcess process;

    /**
     * @param certificate the server's chain and key ({@link TestPki.Issued})
     * @param clientCa    the authority whose client certificates nginx accepts
     */
    public TlsNginx(Path dir, TestPki.Issued certificate, TestPki.Issued clientCa) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            tlsPort = Ports.free();
            plainPort = Ports.free();
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
                      ssl_session_cache shared:sluice:1m;
                      server {
                        listen 127.0.0.1:%2$d ssl http2;
                        ssl_certificate %4$s;
                        ssl_certificate_key %5$s;
                        ssl_client_certificate %6$s;
                        ssl_verify_client optional;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        location / { return 200 "sni=$ssl_server_name proto=$ssl_protocol reused=$ssl_session_reused dn=$ssl_client_s_dn http=$server_protocol method=$request_method conn=$connection\\n"; }
                      }
                      server {
                        listen 127.0.0.1:%3$d;
                        location / { return 200 "clear\\n"; }
                      }
                    }
                    """.formatted(dir, tlsPort, plainPort, certificate.crt(), certificate.key(), clientCa.crt());
            Files.writeString(dir.resolve("nginx.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ExternalProcess.start("nginx-tls", List.of("/usr/sbin/nginx", "-p", dir.toString(),
                "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"));
        process.awaitListening("127.0.0.1", tlsPort, Duration.ofSeconds(10));
        process.awaitListening("127.0.0.1", plainPort, Duration.ofSeconds(10));
    }

    public InetSocketAddress tls() {
        return new InetSocketAddress("127.0.0.1", tlsPort);
    }

    public InetSocketAddress plain() {
        return new InetSocketAddress("127.0.0.1", plainPort);
    }

    @Override
    public void close() {
        process.close();
    }
}
