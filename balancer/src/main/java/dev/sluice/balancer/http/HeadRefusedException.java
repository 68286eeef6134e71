package dev.sluice.balancer.http;

import io.netty.handler.codec.DecoderException;
import java.util.Objects;

/**
 * Why {@link RequestHeadDecoder} refused a request head or body: the refusal it maps to is carried
 * along, so {@link HttpRefusal#forDecoderFailure} need not guess from a message. Without a stack
 * trace: it is an answer to bad input, thrown as often as a client cares to send it.
 */
public final class HeadRefusedException extends DecoderException {
    private final HttpRefusal refusal;

    public HeadRefusedException(HttpRefusal refusal, String message) {
        super(message);
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public HttpRefusal refusal() {
        return refusal;
    }
}
