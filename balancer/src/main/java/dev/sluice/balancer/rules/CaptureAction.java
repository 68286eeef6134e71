package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.log.LogRecord;
import dev.sluice.balancer.log.LogTap;
import io.netty.channel.Channel;

/**
 * {@code http-request capture EXPR id K} and {@code http-response capture EXPR id K}: the sample's
 * value fills capture slot K of the exchange, logged with the header captures ({@code %hr},
 * {@code %hs}) and cut at the slot's length there. Slots live in the access log record, so a
 * frontend that does not log keeps nothing. The {@code len N} form got its slot when parsed. Also
 * {@code set-log-level}, which sets the record's severity for the line.
 */
final class CaptureAction {

    private CaptureAction() {
    }

    /** {@code set-log-level LEVEL|silent}: the exchange's line goes out at that severity, or not at all. */
    static Action logLevel(int severity) {
        return context -> {
            Channel channel = context.request().channel();
            LogRecord record = channel == null ? null : LogTap.recordOf(channel);
            if (record != null) {
                record.logLevel(severity);
            }
            return Verdict.CONTINUE;
        };
    }

    static Action of(SampleExpression sample, int slot, boolean request) {
        return context -> {
            RequestView view = context.request();
            Channel channel = view.channel();
            LogRecord record = channel == null ? null : LogTap.recordOf(channel);
            if (record != null) {
                String value = sample.evaluateString(view);
                if (value != null) {
                    record.captured(request, slot, value);
                }
            }
            return Verdict.CONTINUE;
        };
    }
}
