package dev.sluice.terminator.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testkit.ExternalProcess;
import dev.sluice.testkit.Ports;
import dev.sluice.testkit.Sluice;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 5: with systemd's {@code WATCHDOG_USEC} set, the process systemd talks to (the single
 * worker, or the supervisor of a fleet) sends {@code WATCHDOG=1} to {@code $NOTIFY_SOCKET}
 * again and again, and READY=1 once it serves (systemd arms the watchdog at READY=1, so pings
 * before it are harmless). The socket is a real AF_UNIX datagram socket made by the test.
 */
class WatchdogIT extends LoopbackFixture {
    /** systemd would say WatchdogSec=0.4: pings every 200 ms. */
    private static final String WATCHDOG_USEC = "400000";
    private static final int PINGS = 5;

    @Test
    void singleWorkerPingsTheWatchdog() throws Exception {
        expectPings(List.of());
    }

    @Test
    void supervisorPingsTheWatchdog() throws Exception {
        expectPings(List.of("--workers=2", "--cpus=0-1"));
    }

    private void expectPings(List<String> extra) throws Exception {
        Path socket = dir.resolve("notify-" + System.nanoTime() + ".sock");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel listener = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket packet) {
                            received.add(packet.content().toString(StandardCharsets.UTF_8));
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toFile())).sync().channel();
            int port = Ports.free();
            List<String> args = new ArrayList<>(List.of("--frontend=[127.0.0.1]:" + port, "--backend=[127.0.0.1]:9"));
            args.addAll(extra);
            args.add(pem.toString());
            try (ExternalProcess terminator = ExternalProcess.start("terminator",
                    Sluice.command("terminator", args.toArray(String[]::new)),
                    Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", WATCHDOG_USEC), null)) {
                List<String> seen = new ArrayList<>();
                int pings = 0;
                long deadline = System.nanoTime() + START.toNanos();
                while ((pings < PINGS || seen.stream().noneMatch(m -> m.startsWith("READY=1")))
                        && System.nanoTime() < deadline) {
                    String message = received.poll(1, TimeUnit.SECONDS);
                    if (message == null) {
                        continue;
                    }
                    seen.add(message);
                    if (message.equals("WATCHDOG=1")) {
                        pings++;
                    }
                }
                assertTrue(pings >= PINGS, "watchdog pings: " + seen + "\n" + terminator.describe());
                assertTrue(seen.stream().anyMatch(m -> m.startsWith("READY=1")), "READY=1 too: " + seen);
            }
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
