package dev.sluice.common.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.Channel;
import java.util.concurrent.ThreadFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The I/O transport of a process: native epoll where the kernel and the JNI library allow it, NIO
 * otherwise (with one warning saying why). Everything that opens a socket asks this class for its
 * channel classes, so a connection and the backend connection it opens always share one kind.
 */
public enum Transport {
    EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class,
          EpollServerDomainSocketChannel.class, EpollDomainSocketChannel.class),
    NIO(NioServerSocketChannel.class, NioSocketChannel.class,
        NioServerDomainSocketChannel.class, NioDomainSocketChannel.class);

    private static final Logger log = LogManager.getLogger(Transport.class);

    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;
    private final Class<? extends ServerChannel> serverDomainChannel;
    private final Class<? extends Channel> domainChannel;

    Transport(Class<? extends ServerChannel> serverChannel, Class<? extends Channel> socketChannel,
              Class<? extends ServerChannel> serverDomainChannel, Class<? extends Channel> domainChannel) {
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
        this.serverDomainChannel = serverDomainChannel;
        this.domainChannel = domainChannel;
    }

    /** The best transport available here; logs once at WARN when falling back to NIO. */
    public static Transport best() {
        return Best.VALUE;
    }

    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> socketChannel() {
        return socketChannel;
    }

    public Class<? extends ServerChannel> serverDomainChannel() {
        return serverDomainChannel;
    }

    public Class<? extends Channel> domainChannel() {
        return domainChannel;
    }

    /** The UDP channel of this transport (the balancer's DNS queries). */
    public Class<? extends io.netty.channel.socket.DatagramChannel> datagramChannel() {
        return this == EPOLL ? io.netty.channel.epoll.EpollDatagramChannel.class
                : io.netty.channel.socket.nio.NioDatagramChannel.class;
    }

    /** SO_REUSEPORT needs the native transport; NIO cannot share a port between processes. */
    public boolean supportsReusePort() {
        return this == EPOLL;
    }

    private static final class Best {
        static final Transport VALUE = choose();

        private static Transport choose() {
            if (Epoll.isAvailable()) {
                return EPOLL;
            }
            log.warn("native epoll unavailable ({}); falling back to NIO without SO_REUSEPORT",
                     Epoll.unavailabilityCause().toString());
            return NIO;
        }
    }
}
