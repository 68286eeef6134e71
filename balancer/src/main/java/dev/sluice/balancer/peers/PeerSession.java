package dev.sluice.balancer.peers;

import dev.sluice.balancer.stick.PeerWire;
import dev.sluice.balancer.stick.StickEntry;
import dev.sluice.balancer.stick.StickTable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One connection with a peer once the handshake succeeded, on the node's event loop: it applies
 * the peer's table definitions and updates to our tables (and acknowledges them), answers resync
 * requests by teaching every shared table, and writes the updates the node pushes. Before sending
 * an entry of a table it defines that table on this connection, or switches to it.
 */
final class PeerSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LogManager.getLogger(PeerSession.class);

    private final PeerNode node;
    private ChannelHandlerContext ctx;
    private String peer;

    /** Ours: which tables this connection defined, the current one, the last update id sent of each. */
    private final boolean[] defined;
    private final int[] lastSent;
    private int currentTable = -1;

    /** The peer's: its tables by its id, the current one, and the updates to acknowledge. */
    private final Map<Integer, Remote> remoteTables = new HashMap<>();
    private Remote remoteCurrent;

    /** Entries still to teach (a full table push), or null; and whether a resync-finished ends it. */
    private ArrayDeque<StickEntry> teaching;
    private boolean finishAfterTeach;
    /** The peer fell behind (not writable) and missed pushes: teach it everything once it drains. */
    private boolean missedPushes;
    /** A teach of every entry completed on this connection; pushes have kept the peer current since. */
    private boolean taught;

    /** A table as the peer defined it, and ours of that name (null: not shared here, updates skipped). */
    private static final class Remote {
        final PeerWire.Definition definition;
        final StickTable table;
        long lastReceived;
        boolean acknowledge;

        Remote(PeerWire.Definition definition, StickTable table) {
            this.definition = definition;
            this.table = table;
        }
    }

    PeerSession(PeerNode node) {
        this.node = node;
        this.defined = new boolean[node.tables().size()];
        this.lastSent = new int[node.tables().size()];
    }

    String peer() {
        return peer;
    }

    boolean isOpen() {
        return peer != null && ctx != null && ctx.channel().isActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The handshake succeeded with {@code name}. */
    void open(String name) {
        this.peer = name;
        node.opened(this);
        // Everything we hold, so that a peer that restarted or was away catches up at once.
        teach(false);
    }

    void close() {
        ctx.close();
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        teaching = null;
        if (peer != null) {
            node.closed(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("peers {}: session with {} failed: {}", node.sectionName(), peer, cause.toString());
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                log.warn("peers {}: {} silent for {}; closing", node.sectionName(),
                        peer == null ? ctx.channel().remoteAddress() : peer, PeerMessages.SILENCE_LIMIT);
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE && peer != null) {
                ctx.writeAndFlush(PeerMessages.bare(ctx.alloc(), PeerMessages.CLASS_CONTROL,
                        PeerMessages.CONTROL_HEARTBEAT));
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerFrame frame = (PeerFrame) msg;
        try {
            handle(frame);
        } catch (PeerProtocolException e) {
            log.warn("peers {}: protocol error from {}: {}", node.sectionName(), peer, e.getMessage());
            ctx.writeAndFlush(PeerMessages.bare(ctx.alloc(), PeerMessages.CLASS_ERROR, PeerMessages.ERROR_PROTOCOL))
                    .addListener(ChannelFutureListener.CLOSE);
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        for (Map.Entry<Integer, Remote> e : remoteTables.entrySet()) {
            Remote remote = e.getValue();
            if (remote.acknowledge) {
                remote.acknowledge = false;
                ByteBuf body = node.scratch();
                VarInt.write(body, e.getKey());
                body.writeInt((int) remote.lastReceived);
                ctx.write(PeerMessages.withBody(ctx.alloc(), PeerMessages.CLASS_TABLE, PeerMessages.TABLE_ACK, body));
            }
        }
        ctx.flush();
    }

    private void handle(PeerFrame frame) {
        switch (frame.messageClass) {
            case PeerMessages.CLASS_CONTROL -> control(frame.type);
            case PeerMessages.CLASS_TABLE -> table(frame.type, frame.body);
            case PeerMessages.CLASS_ERROR -> {
                log.warn("peers {}: {} reported a {}; closing", node.sectionName(), peer,
                        frame.type == PeerMessages.ERROR_SIZE_LIMIT ? "message too large" : "protocol error");
                ctx.close();
            }
            default -> throw new PeerProtocolException("unknown message class " + frame.messageClass);
        }
    }

    private void control(int type) {
        switch (type) {
            case PeerMessages.CONTROL_RESYNC_REQUEST -> {
                if (teaching != null) {
                    finishAfterTeach = true;
                } else if (taught && !missedPushes) {
                    // The opening teach already sent everything: the peer is as current as we are.
                    ctx.writeAndFlush(PeerMessages.bare(ctx.alloc(), PeerMessages.CLASS_CONTROL,
                            PeerMessages.CONTROL_RESYNC_FINISHED));
                } else {
                    teach(true);
                }
            }
            case PeerMessages.CONTROL_RESYNC_FINISHED, PeerMessages.CONTROL_RESYNC_PARTIAL -> {
                node.resynced(type == PeerMessages.CONTROL_RESYNC_FINISHED);
                ctx.writeAndFlush(PeerMessages.bare(ctx.alloc(), PeerMessages.CLASS_CONTROL,
                        PeerMessages.CONTROL_RESYNC_CONFIRM));
            }
            case PeerMessages.CONTROL_RESYNC_CONFIRM, PeerMessages.CONTROL_HEARTBEAT -> {
                // Nothing to do: any message keeps the session alive.
            }
            default -> throw new PeerProtocolException("unknown control message " + type);
        }
    }

    private void table(int type, ByteBuf body) {
        switch (type) {
            case PeerMessages.TABLE_DEFINITION -> {
                PeerWire.Definition definition = PeerWire.readDefinition(body);
                StickTable table = node.table(definition);
                if (table == null) {
                    log.warn("peers {}: {} shares table '{}', which is not shared here with the same key type and "
                            + "size; its updates are ignored", node.sectionName(), peer, definition.name());
                }
                remoteCurrent = new Remote(definition, table);
                remoteTables.put(definition.id(), remoteCurrent);
            }
            case PeerMessages.TABLE_SWITCH -> {
                remoteCurrent = remoteTables.get((int) VarInt.read(body));
                if (remoteCurrent == null) {
                    throw new PeerProtocolException("switch to a table never defined");
                }
            }
            case PeerMessages.TABLE_UPDATE, PeerMessages.TABLE_INCREMENTAL_UPDATE, PeerMessages.TABLE_UPDATE_TIMED,
                 PeerMessages.TABLE_INCREMENTAL_UPDATE_TIMED -> update(type, body);
            case PeerMessages.TABLE_ACK -> {
                // We keep no history to resend: a peer that reconnects is taught every table.
            }
            default -> throw new PeerProtocolException("unknown table message " + type);
        }
    }

    private void update(int type, ByteBuf body) {
        if (remoteCurrent == null) {
            throw new PeerProtocolException("update before any table definition");
        }
        boolean withId = type == PeerMessages.TABLE_UPDATE || type == PeerMessages.TABLE_UPDATE_TIMED;
        boolean timed = type == PeerMessages.TABLE_UPDATE_TIMED || type == PeerMessages.TABLE_INCREMENTAL_UPDATE_TIMED;
        if (body.readableBytes() < (withId ? 4 : 0) + (timed ? 4 : 0)) {
            throw new PeerProtocolException("truncated update");
        }
        long id = withId ? body.readUnsignedInt() : (remoteCurrent.lastReceived + 1) & 0xffff_ffffL;
        long expire = timed ? body.readUnsignedInt() : -1;
        if (remoteCurrent.table != null) {
            PeerWire.applyUpdate(body, remoteCurrent.definition, remoteCurrent.table, expire);
        }
        remoteCurrent.lastReceived = id;
        remoteCurrent.acknowledge = true;
    }

    /** Starts pushing every live entry of every table; with {@code finish}, ends with a resync-finished. */
    private void teach(boolean finish) {
        teaching = new ArrayDeque<>();
        for (StickTable table : node.tables()) {
            teaching.addAll(table.liveEntries());
        }
        finishAfterTeach |= finish;
        missedPushes = false;
        continueTeaching();
    }

    private void continueTeaching() {
        while (teaching != null && ctx.channel().isWritable()) {
            StickEntry entry = teaching.poll();
            if (entry == null) {
                teaching = null;
                taught = true;
                if (finishAfterTeach) {
                    finishAfterTeach = false;
                    ctx.write(PeerMessages.bare(ctx.alloc(), PeerMessages.CLASS_CONTROL,
                            PeerMessages.CONTROL_RESYNC_FINISHED));
                }
                break;
            }
            write(entry, node.nextUpdateId(entry.table()));
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            if (teaching != null) {
                continueTeaching();
            } else if (missedPushes) {
                teach(false);
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    /**
     * Pushes one changed entry (no flush: the node flushes after a batch). A peer that cannot take
     * more is not written to; it is taught everything once it drains, which bounds what we hold for it.
     */
    void push(StickEntry entry, int updateId) {
        if (!ctx.channel().isWritable()) {
            missedPushes = true;
            return;
        }
        write(entry, updateId);
    }

    void flush() {
        ctx.flush();
    }

    private void write(StickEntry entry, int updateId) {
        int index = node.tableIndex(entry.table());
        if (index < 0) {
            return;
        }
        ByteBuf body = node.scratch();
        if (!defined[index]) {
            PeerWire.writeDefinition(body, index + 1, entry.table());
            ctx.write(PeerMessages.withBody(ctx.alloc(), PeerMessages.CLASS_TABLE, PeerMessages.TABLE_DEFINITION,
                    body));
            defined[index] = true;
            currentTable = index;
            body = node.scratch();
        } else if (currentTable != index) {
            VarInt.write(body, index + 1);
            ctx.write(PeerMessages.withBody(ctx.alloc(), PeerMessages.CLASS_TABLE, PeerMessages.TABLE_SWITCH, body));
            currentTable = index;
            body = node.scratch();
        }
        boolean incremental = lastSent[index] != 0 && updateId == lastSent[index] + 1;
        if (!incremental) {
            body.writeInt(updateId);
        }
        PeerWire.writeEntry(body, entry, node.rateScratch());
        ctx.write(PeerMessages.withBody(ctx.alloc(), PeerMessages.CLASS_TABLE,
                incremental ? PeerMessages.TABLE_INCREMENTAL_UPDATE : PeerMessages.TABLE_UPDATE, body));
        lastSent[index] = updateId;
    }
}
