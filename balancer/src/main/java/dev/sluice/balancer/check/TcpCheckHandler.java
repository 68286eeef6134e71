package dev.sluice.balancer.check;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Consumer;

/**
 * Runs a {@link TcpCheck} over the check's connection: feeds the {@link TcpCheckRun} what arrives and writes
 * what it sends, and reports its verdict once, then closes. The caller's deadline ends a run that waits
 * forever, through {@link #timedOut()}.
 */
final class TcpCheckHandler extends ChannelInboundHandlerAdapter {
    private final TcpCheck check;
    private final Consumer<HttpProbeHandler.Verdict> done;
    private TcpCheckRun run;
    private ChannelHandlerContext context;
    private boolean reported;

    TcpCheckHandler(TcpCheck check, Consumer<HttpProbeHandler.Verdict> done) {
        this.check = check;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context = ctx;
        run = new TcpCheckRun(check, bytes -> ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes)),
                System.currentTimeMillis() / 1000);
        report(run.connected());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            if (!reported && run != null) {
                byte[] bytes = ByteBufUtil.getBytes(data);
                report(run.received(bytes, 0, bytes.length));
            }
        } finally {
            data.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!reported && run != null) {
            report(run.closed());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!reported && run != null) {
            report(run.failed(HealthChecker.describe(cause)));
        }
        ctx.close();
    }

    /** The check's deadline passed: the verdict HAProxy gives a check that timed out at the current step. */
    HttpProbeHandler.Verdict timedOut() {
        return run == null ? new HttpProbeHandler.Verdict(CheckStatus.L7TOUT, 0, "") : run.timedOut();
    }

    private void report(HttpProbeHandler.Verdict verdict) {
        if (verdict == null || reported) {
            return;
        }
        reported = true;
        done.accept(verdict);
        if (context != null) {
            context.close();
        }
    }
}
