package dev.sluice.balancer.log;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in a logged client connection's pipeline: counts the bytes each way and stamps the first
 * byte of each request (HAProxy's TR and %tr start there, not when the head is parsed). Only
 * connections of frontends that log get one.
 */
public final class LogTap extends ChannelDuplexHandler {
    public static final String NAME = "log-tap";

    private final LogRecord record;

    private LogTap(LogRecord record) {
        this.record = record;
    }

    /** The record of a new client connection, its tap installed; null (and nothing added) when the frontend does not log. */
    public static LogRecord attach(AccessLog log, Channel channel) {
        LogRecord record = log.newRecord();
        if (record != null) {
            record.accepted(channel);
            channel.pipeline().addFirst(NAME, new LogTap(record));
        }
        return record;
    }

    /** The record a tap on {@code channel} already fills, or null when none was attached. */
    public static LogRecord recordOf(Channel channel) {
        return channel.pipeline().get(NAME) instanceof LogTap tap ? tap.record : null;
    }

    /**
     * A relay closes {@code client} because the pair sat idle past its timeout: HAProxy reports
     * that as the client's timeout in the data phase (cD). Nothing happens on connections that
     * do not log.
     */
    public static void idleTimeout(Channel client) {
        if (client.pipeline().get(NAME) instanceof LogTap tap) {
            tap.record.terminated(Termination.CLIENT_TIMEOUT, Termination.AT_DATA);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            record.clientBytes(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            record.clientBytesOut(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
