package dev.sluice.balancer.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Sends an {@code option httpchk} request once connected and judges the response: at the end of the status
 * line for the status forms, at the end of the response (the server closes: the request asked it to) or
 * at {@link #MAX_RESPONSE_BYTES} for the string forms. Reports exactly one verdict once connected (a close
 * with nothing received is an empty response); the caller's deadline covers a silent server.
 */
final class HttpProbeHandler extends ChannelInboundHandlerAdapter {
    /** How much of a response a check reads at most (HAProxy reads one buffer: 16 kB by default). */
    static final int MAX_RESPONSE_BYTES = 16 * 1024;

    /** A judged response. */
    record Verdict(CheckStatus status, int code, String info) {
    }

    private final HttpProbe probe;
    private final Consumer<Verdict> done;
    private ByteBuf received;
    private boolean reported;

    HttpProbeHandler(HttpProbe probe, Consumer<Verdict> done) {
        this.probe = probe;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        received = ctx.alloc().heapBuffer(256, MAX_RESPONSE_BYTES);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(probe.requestBytes()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            if (!reported) {
                int room = received.maxCapacity() - received.writerIndex();
                received.writeBytes(data, Math.min(room, data.readableBytes()));
                judge(ctx, received.writerIndex() == received.maxCapacity());
            }
        } finally {
            data.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!reported && received != null && received.isReadable()) {
            judge(ctx, true);
        }
        if (!reported && received != null) {
            report(ctx, new Verdict(CheckStatus.L7RSP, 0, "Empty response"));
        }
        if (received != null) {
            received.release();
            received = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void judge(ChannelHandlerContext ctx, boolean complete) {
        String text = received.toString(StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        if (lineEnd < 0) {
            if (complete) {
                report(ctx, new Verdict(CheckStatus.L7RSP, 0, "Not an HTTP response"));
            }
            return;
        }
        String line = text.substring(0, lineEnd);
        String[] parts = line.split(" ", 3);
        int status;
        try {
            status = parts.length >= 2 && parts[0].startsWith("HTTP/") && parts[1].length() == 3
                    ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 100) {
            report(ctx, new Verdict(CheckStatus.L7RSP, 0, "Not an HTTP response"));
            return;
        }
        String reason = parts.length == 3 ? parts[2] : "";
        HttpProbe.Expect expect = probe.expect();
        if (!expect.readsBody()) {
            boolean pass = expect.passes(status, "");
            report(ctx, new Verdict(pass ? CheckStatus.L7OK : CheckStatus.L7STS, status, reason));
            return;
        }
        if (!complete) {
            return;
        }
        int bodyStart = text.indexOf("\r\n\r\n");
        String body = bodyStart < 0 ? "" : text.substring(bodyStart + 4);
        boolean pass = expect.passes(status, body);
        report(ctx, pass ? new Verdict(CheckStatus.L7OK, status, reason)
                : new Verdict(CheckStatus.L7RSP, status, "HTTP content check did not match"));
    }

    private void report(ChannelHandlerContext ctx, Verdict verdict) {
        reported = true;
        done.accept(verdict);
        ctx.close();
    }
}
