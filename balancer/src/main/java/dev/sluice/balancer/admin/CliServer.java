package dev.sluice.balancer.admin;

import dev.sluice.balancer.runtime.StatsPlan;
import dev.sluice.common.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code stats socket} listeners: a unix socket or a TCP address each, on the engine's event
 * loops, every connection a {@link CliSession} at the socket's level.
 */
public final class CliServer implements AutoCloseable {
    /** HAProxy reads a command line into one buffer; longer lines are refused. */
    static final int MAX_LINE_BYTES = 16_384;

    private final StatsPlan plan;
    private final RuntimeApi api;
    private final EventLoopGroup group;
    private final Transport transport;
    /** Replaced by {@link #reopen()}; read by the reloading thread only. */
    private volatile List<Channel> listeners;

    private CliServer(List<Channel> listeners, StatsPlan plan, RuntimeApi api, EventLoopGroup group,
                      Transport transport) {
        this.listeners = listeners;
        this.plan = plan;
        this.api = api;
        this.group = group;
        this.transport = transport;
    }

    /** Binds every socket of {@code plan}, or none (a failure closes what was opened and throws). */
    public static CliServer start(StatsPlan plan, RuntimeApi api, EventLoopGroup group, Transport transport) {
        List<Channel> listeners = new ArrayList<>();
        try {
            for (StatsPlan.Socket socket : plan.sockets()) {
                listeners.add(bind(socket, plan, api, group, transport));
            }
        } catch (RuntimeException e) {
            for (Channel listener : listeners) {
                listener.close().awaitUninterruptibly();
            }
            throw e;
        }
        return new CliServer(listeners, plan, api, group, transport);
    }

    /**
     * Binds the same sockets again after {@link #close()}: a reload closes them before the next
     * configuration binds them, and gives them back to the running one when that reload fails
     * (e.g. the process gave up root and cannot bind a new one). Throws as {@link #start} does.
     */
    public void reopen() {
        listeners = start(plan, api, group, transport).listeners;
    }

    private static Channel bind(StatsPlan.Socket socket, StatsPlan plan, RuntimeApi api, EventLoopGroup group,
                                Transport transport) {
        SocketAddress address = socket.address();
        boolean unix = address instanceof UnixDomainSocketAddress;
        long idleMillis = plan.cliTimeout().toMillis();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(unix ? transport.serverDomainChannel() : transport.serverChannel())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS))
                                .addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES))
                                .addLast(api.newSession(socket.level()));
                    }
                });
        Path path = null;
        if (unix) {
            path = ((UnixDomainSocketAddress) address).getPath();
            removeStale(path);
            if (transport == Transport.EPOLL) {
                address = new DomainSocketAddress(path.toString());
            }
        }
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind stats socket " + socket.address() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        if (path != null && socket.mode() >= 0) {
            setMode(path, socket.mode());
        }
        if (path != null && (socket.uid() >= 0 || socket.gid() >= 0)) {
            setOwner(path, socket.uid(), socket.gid(), bound.channel());
        }
        return bound.channel();
    }

    private static void setMode(Path path, int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                permissions.add(bits[i]);
            }
        }
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set mode of stats socket " + path, e);
        }
    }

    /** {@code user/group}: chown, before the process gives up root (HAProxy does it at bind time too). */
    private static void setOwner(Path path, int uid, int gid, Channel listener) {
        try {
            if (uid >= 0) {
                Files.setAttribute(path, "unix:uid", uid);
            }
            if (gid >= 0) {
                Files.setAttribute(path, "unix:gid", gid);
            }
        } catch (IOException | UnsupportedOperationException e) {
            listener.close().awaitUninterruptibly();
            throw new IllegalStateException("cannot change the owner of stats socket " + path + " to " + uid + ":"
                    + gid + ": " + e.getMessage(), e);
        }
    }

    private static void removeStale(Path path) {
        try {
            if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace stats socket " + path, e);
        }
    }

    /** Where each socket listens (a TCP port 0 shows the port chosen). */
    public List<SocketAddress> addresses() {
        return listeners.stream().map(Channel::localAddress).toList();
    }

    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
    }
}
