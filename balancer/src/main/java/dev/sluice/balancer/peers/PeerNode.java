package dev.sluice.balancer.peers;

import dev.sluice.balancer.runtime.PeersPlan;
import dev.sluice.balancer.stick.PeerWire;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import dev.sluice.common.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This process as a member of one {@code peers} section: it listens on the local peer's address,
 * keeps one session with every other peer (dialing those it has none with, again after a failure with
 * a growing, jittered delay), pushes the entries our tables change to every open session, and asks
 * the first peer it meets for a full resync. Everything runs on one event loop; the only thing other
 * loops touch is the queue of changed entries, in which an entry waits at most once (bounded by the
 * tables' sizes).
 */
public final class PeerNode implements AutoCloseable {

    private static final Logger log = LogManager.getLogger(PeerNode.class);

    /** The first dial waits a random 50 ms to 2 s (as HAProxy) so that two peers rarely dial each other at once. */
    static final int FIRST_DIAL_MIN_MS = 50;
    static final int FIRST_DIAL_SPREAD_MS = 2_000;
    /** Redials back off from 500 ms, doubling, up to HAProxy's fixed 5 s, each with up to 50 % jitter. */
    static final int REDIAL_BASE_MS = 500;
    static final int REDIAL_MAX_MS = 5_000;
    static final int CONNECT_TIMEOUT_MS = 5_000;

    private final PeersPlan.Section section;
    private final List<StickTable> tables;
    private final EventLoop loop;
    private final Transport transport;
    private final Map<String, PeersPlan.Remote> remotes = new LinkedHashMap<>();
    /** Open sessions by peer name; touched on the loop only. */
    private final Map<String, PeerSession> sessions = new HashMap<>();
    private final Map<String, Channel> dialing = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final int[] updateIds;
    private final ConcurrentLinkedQueue<StickEntry> changed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final ByteBuf scratch = Unpooled.buffer(256);
    private final long[] rateScratch = new long[3];
    private Channel listener;
    private boolean resyncAsked;
    private boolean resynced;
    private volatile boolean closed;

    PeerNode(PeersPlan.Section section, List<StickTable> tables, EventLoop loop, Transport transport) {
        this.section = section;
        this.tables = List.copyOf(tables);
        this.loop = loop;
        this.transport = transport;
        this.updateIds = new int[tables.size()];
        for (PeersPlan.Remote remote : section.remotes()) {
            remotes.put(remote.name(), remote);
        }
    }

    /**
     * Binds the local peer's address (throws when it cannot) and starts dialing the remote peers;
     * from then on every local change of {@code tables} is pushed.
     */
    public static PeerNode start(PeersPlan.Section section, List<StickTable> tables, EventLoop loop,
                                 Transport transport) {
        PeerNode node = new PeerNode(section, tables, loop, transport);
        ChannelFuture bound = new ServerBootstrap()
                .group(loop)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(node.initializer(null))
                .bind(section.listen()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("peers " + section.name() + ": cannot bind local peer '"
                    + section.localName() + "' on " + section.listen() + ": " + bound.cause().getMessage(), bound.cause());
        }
        node.listener = bound.channel();
        for (StickTable table : node.tables) {
            table.onChange(node::changed);
        }
        for (PeersPlan.Remote remote : section.remotes()) {
            node.dialLater(remote.name(), FIRST_DIAL_MIN_MS
                    + ThreadLocalRandom.current().nextInt(FIRST_DIAL_SPREAD_MS));
        }
        log.info("peers {}: local peer '{}' listening on {}, {} remote peer(s), {} table(s)", section.name(),
                section.localName(), node.listener.localAddress(), section.remotes().size(), node.tables.size());
        return node;
    }

    private ChannelInitializer<Channel> initializer(String dialed) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(
                        new IdleStateHandler(PeerMessages.SILENCE_LIMIT.toMillis(),
                                PeerMessages.HEARTBEAT_EVERY.toMillis(), 0, TimeUnit.MILLISECONDS),
                        dialed == null ? HelloPhase.accepting(PeerNode.this) : HelloPhase.dialing(PeerNode.this, dialed),
                        new PeerFrameDecoder(),
                        new PeerSession(PeerNode.this));
            }
        };
    }

    String sectionName() {
        return section.name();
    }

    String localName() {
        return section.localName();
    }

    /** Whether a hello may come from {@code name}: a peer of the section (ourselves included, as in HAProxy). */
    boolean knows(String name) {
        return remotes.containsKey(name) || name.equals(section.localName());
    }

    List<StickTable> tables() {
        return tables;
    }

    int tableIndex(StickTable table) {
        return tables.indexOf(table);
    }

    /** Our table a peer's definition names, when its keys are ours; else null. */
    StickTable table(PeerWire.Definition definition) {
        for (StickTable table : tables) {
            if (definition.matches(table)) {
                return table;
            }
        }
        return null;
    }

    int nextUpdateId(StickTable table) {
        int index = tableIndex(table);
        return index < 0 ? 0 : ++updateIds[index];
    }

    /** The loop's scratch buffer for one message body, emptied. */
    ByteBuf scratch() {
        return scratch.clear();
    }

    long[] rateScratch() {
        return rateScratch;
    }

    void opened(PeerSession session) {
        PeerSession previous = sessions.put(session.peer(), session);
        failures.remove(session.peer());
        if (previous != null && previous != session) {
            // A new hello means the peer gave up the old session (HAProxy closes it the same way).
            previous.close();
        }
        log.info("peers {}: session with '{}' open", section.name(), session.peer());
        if (!resynced && !resyncAsked && !session.peer().equals(section.localName())) {
            resyncAsked = true;
            Channel channel = session.channel();
            channel.writeAndFlush(PeerMessages.bare(channel.alloc(), PeerMessages.CLASS_CONTROL,
                    PeerMessages.CONTROL_RESYNC_REQUEST));
        }
    }

    void closed(PeerSession session) {
        if (sessions.get(session.peer()) == session) {
            sessions.remove(session.peer());
            log.info("peers {}: session with '{}' closed", section.name(), session.peer());
            resyncAsked = false;
            if (remotes.containsKey(session.peer())) {
                dialLater(session.peer(), backoff(session.peer()));
            }
        }
    }

    void resynced(boolean complete) {
        resynced |= complete;
        resyncAsked = complete;
    }

    private int backoff(String peer) {
        int n = failures.merge(peer, 1, Integer::sum);
        int delay = (int) Math.min(REDIAL_MAX_MS, (long) REDIAL_BASE_MS << Math.min(n - 1, 10));
        return delay / 2 + ThreadLocalRandom.current().nextInt(delay / 2 + 1);
    }

    private void dialLater(String peer, int delayMs) {
        if (!closed) {
            loop.schedule(() -> dial(peer), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void dial(String peer) {
        if (closed || sessions.containsKey(peer) || dialing.containsKey(peer)) {
            return;
        }
        PeersPlan.Remote remote = remotes.get(peer);
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(initializer(peer))
                .connect(remote.address());
        dialing.put(peer, connect.channel());
        connect.channel().closeFuture().addListener(f -> {
            dialing.remove(peer, connect.channel());
            PeerSession session = connect.channel().pipeline().get(PeerSession.class);
            boolean wasOpen = session != null && session.peer() != null;
            if (!wasOpen && !sessions.containsKey(peer)) {
                dialLater(peer, backoff(peer)); // refused, timed out or the handshake failed
            }
        });
    }

    /** Tests hook a table to a node built without {@link #start}. */
    void changedForTests(StickEntry entry) {
        changed(entry);
    }

    /** From any event loop: an entry of a shared table changed here. */
    private void changed(StickEntry entry) {
        if (closed || !entry.markPushPending()) {
            return;
        }
        changed.add(entry);
        if (flushQueued.compareAndSet(false, true)) {
            loop.execute(this::push);
        }
    }

    private void push() {
        flushQueued.set(false);
        StickEntry entry;
        boolean any = false;
        while ((entry = changed.poll()) != null) {
            entry.clearPushPending();
            if (sessions.isEmpty()) {
                continue; // the next session is taught every entry anyway
            }
            int id = nextUpdateId(entry.table());
            for (PeerSession session : sessions.values()) {
                session.push(entry, id);
            }
            any = true;
        }
        if (any) {
            sessions.values().forEach(PeerSession::flush);
        }
    }

    /** Stops listening, dialing and pushing, and closes every session; waits for the listener to close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (StickTable table : tables) {
            table.onChange(null);
        }
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        Runnable closeSessions = () -> {
            List.copyOf(sessions.values()).forEach(PeerSession::close);
            List.copyOf(dialing.values()).forEach(Channel::close);
            scratch.release();
        };
        if (loop.inEventLoop()) {
            closeSessions.run();
        } else if (!loop.isShuttingDown()) {
            loop.submit(closeSessions).awaitUninterruptibly();
        }
    }
}
