package dev.sluice.balancer.http;

import io.netty.handler.codec.DecoderException;

/** A header line continued on the next line (RFC 9112 §5.2 "obs-fold"): refused, never unfolded. */
public final class ObsoleteFoldingException extends DecoderException {
    public ObsoleteFoldingException() {
        super("obsolete line folding in the request head");
    }
}
