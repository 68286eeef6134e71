package dev.sluice.balancer;

import dev.sluice.balancer.http.HttpFrontend;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started engine: where it listens, and how to stop it. */
public final class RunningBalancer implements AutoCloseable {
    /** Quiet time before the loops stop, letting exchanges in flight finish. */
    static final long QUIET_MILLIS = 100;
    /** The longest a stop waits for connections before closing them. */
    static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final Map<String, List<SocketAddress>> bound;
    private final Map<String, HttpFrontend> httpFrontends;

    RunningBalancer(EventLoopGroup group, List<Channel> listeners, Map<String, List<SocketAddress>> bound,
                    Map<String, HttpFrontend> httpFrontends) {
        this.group = group;
        this.listeners = List.copyOf(listeners);
        this.bound = Map.copyOf(bound);
        this.httpFrontends = Map.copyOf(httpFrontends);
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

    /** Stops accepting, lets the connections in flight end, then stops the event loops. */
    @Override
    public void close() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        group.shutdownGracefully(QUIET_MILLIS, STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }
}
