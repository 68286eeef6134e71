package dev.sluice.balancer;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.http.HttpFrontend;
import io.netty.channel.Channel;
import dev.sluice.balancer.front.Drain;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started engine: where it listens, and how to stop it. */
public final class RunningBalancer implements AutoCloseable {
    /** The longest a stop waits for exchanges in flight before closing what is left. */
    static final long DRAIN_TIMEOUT_MILLIS = 5_000;
    private static final long DRAIN_POLL_MILLIS = 20;

    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final ChannelGroup clients;
    private final Map<String, List<SocketAddress>> bound;
    private final Map<String, HttpFrontend> httpFrontends;

    private final Map<String, Backend> backends;

    RunningBalancer(EventLoopGroup group, List<Channel> listeners, ChannelGroup clients,
                    Map<String, List<SocketAddress>> bound, Map<String, HttpFrontend> httpFrontends) {
        this(group, listeners, clients, bound, httpFrontends, Map.of());
    }

    RunningBalancer(EventLoopGroup group, List<Channel> listeners, ChannelGroup clients,
                    Map<String, List<SocketAddress>> bound, Map<String, HttpFrontend> httpFrontends,
                    Map<String, Backend> backends) {
        this.group = group;
        this.listeners = List.copyOf(listeners);
        this.clients = clients;
        this.bound = Map.copyOf(bound);
        this.httpFrontends = Map.copyOf(httpFrontends);
        this.backends = Map.copyOf(backends);
    }

    /** The run-time backend of that name (servers, queues), or {@code null}. */
    public Backend backend(String name) {
        return backends.get(name);
    }

    /** Every listening address, in plan order (a port 0 in the plan shows the port chosen). */
    public List<SocketAddress> boundAddresses() {
        List<SocketAddress> all = new ArrayList<>();
        for (Channel listener : listeners) {
            all.add(listener.localAddress());
        }
        return all;
    }

    /** The listening addresses of one frontend, in bind order. */
    public List<SocketAddress> boundAddresses(String frontend) {
        return bound.getOrDefault(frontend, List.of());
    }

    /** The run-time state of an HTTP frontend (refusal counters), or {@code null}. */
    public HttpFrontend httpFrontend(String name) {
        return httpFrontends.get(name);
    }

    /** Client connections open right now. */
    public int openConnections() {
        return clients.size();
    }

    /**
     * Stops gracefully: stops accepting, tells every connection to drain (idle kept-alive HTTP
     * connections close at once, exchanges in flight finish and then close), waits for them up
     * to {@link #DRAIN_TIMEOUT_MILLIS}, then closes what is left and stops the event loops.
     */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        for (Channel client : clients) {
            client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(Drain.EVENT));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MILLIS);
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        clients.close().awaitUninterruptibly();
        group.shutdownGracefully(0, DRAIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
