package dev.sluice.balancer.http;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The client-side response encoder, told by the exchange when the response answers a HEAD
 * request: such a response carries its Content-Length or Transfer-Encoding header but no body,
 * not even a last chunk.
 */
public final class ProxyResponseEncoder extends HttpResponseEncoder {
    private boolean answeringHead;

    public void answeringHead(boolean value) {
        answeringHead = value;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return answeringHead || super.isContentAlwaysEmpty(msg);
    }
}
