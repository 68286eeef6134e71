package dev.sluice.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.support.RawHttp;
import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The socket keywords of {@code bind} beside Debian's haproxy 2.6 with the same lines: the accept
 * queue the kernel reports ({@code ss}), a UNIX socket's mode and owner, an IPv6 wildcard that
 * takes IPv4 clients ({@code v4v6}), and — read back from our listener — TCP_DEFER_ACCEPT,
 * TCP_FASTOPEN and TCP_USER_TIMEOUT.
 */
class BindSocketIT {
    private static final String CONFIG = """
            defaults
              mode http
              timeout connect 2s
              timeout client 5s
              timeout server 5s
            frontend fe
              bind 127.0.0.1:%d backlog 7 defer-accept tfo tcp-ut 5s
              bind unix@%s mode 640 user haproxy group haproxy
              bind :::%d v4v6
              http-request return status 200 content-type text/plain string "hi"
            """;

    @Test
    void sameSocketsAsHaproxy() throws IOException {
        Path dir = Files.createTempDirectory("sluice-bind-");
        Path theirSocket = dir.resolve("theirs.sock");
        Path ourSocket = dir.resolve("ours.sock");
        int theirPort = Ports.free();
        int theirV6 = Ports.free();
        int ourPort = Ports.free();
        int ourV6 = Ports.free();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), CONFIG.formatted(theirPort, theirSocket, theirV6));
        LoadResult loaded = ConfigLoader.parse("ours.cfg", CONFIG.formatted(ourPort, ourSocket, ourV6), Map.of());
        assertTrue(loaded.config().isPresent(), loaded.diagnostics().toString());
        try (ExternalProcess haproxy = ExternalProcess.start("haproxy", List.of("haproxy", "-db", "-f", cfg.toString()));
             RunningBalancer balancer = Balancer.start(Compiler.compile(loaded.config().get()).plan())) {
            haproxy.awaitListening("127.0.0.1", theirPort, Duration.ofSeconds(10));
            assertEquals(observe(theirPort, theirV6, theirSocket), observe(ourPort, ourV6, ourSocket));

            Channel listener = balancer.listenerChannels().getFirst();
            assertEquals(1, listener.config().getOption(EpollChannelOption.TCP_DEFER_ACCEPT));
            assertTrue(listener.config().getOption(EpollChannelOption.TCP_FASTOPEN) > 0);
            try (RawHttp client = RawHttp.to(new InetSocketAddress("127.0.0.1", ourPort))) {
                client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(List.of(5_000), balancer.clientChannels().stream()
                        .map(child -> child.config().getOption(EpollChannelOption.TCP_USER_TIMEOUT)).toList());
            }
        } finally {
            for (Path p : List.of(theirSocket, ourSocket, cfg, dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> observe(int port, int v6Port, Path socket) throws IOException {
        List<String> seen = new ArrayList<>();
        ExternalProcess.Result ss = ExternalProcess.run("ss", List.of("ss", "-Hltn", "sport = :" + port),
                Duration.ofSeconds(10));
        String[] columns = ss.output().trim().split("\\s+");
        seen.add("backlog " + columns[2]);
        PosixFileAttributes file = Files.readAttributes(socket, PosixFileAttributes.class);
        seen.add("socket " + PosixFilePermissions.toString(file.permissions()) + " " + file.owner().getName() + ":"
                + file.group().getName());
        for (String host : List.of("127.0.0.1", "::1")) {
            try (RawHttp client = RawHttp.to(new InetSocketAddress(host, v6Port))) {
                client.setTimeout(3_000);
                seen.add(host + " -> " + client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }
        }
        return seen;
    }
}
