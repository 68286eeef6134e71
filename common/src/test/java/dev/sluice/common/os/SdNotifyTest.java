package dev.sluice.common.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sends real datagrams to a real AF_UNIX datagram socket, as systemd would receive them. */
class SdNotifyTest {

    @Test
    void readyReachesTheNotifySocket(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("notify.sock");
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
            SdNotify notify = SdNotify.from(Map.of("NOTIFY_SOCKET", socket.toString()));
            assertTrue(notify.enabled());
            notify.ready("serving 2 frontends");
            String message = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(message, "no datagram arrived");
            assertTrue(message.startsWith("READY=1\nSTATUS=serving 2 frontends\nMAINPID="), message);
            notify.stopping();
            assertEquals("STOPPING=1", received.poll(10, TimeUnit.SECONDS));
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void withoutNotifySocketNothingHappens() {
        SdNotify notify = SdNotify.from(Map.of());
        assertFalse(notify.enabled());
        notify.ready("ignored");
    }

    @Test
    void unreachableSocketIsLoggedNotThrown(@TempDir Path dir) {
        SdNotify.from(Map.of("NOTIFY_SOCKET", dir.resolve("absent.sock").toString())).ready("x");
    }
}
