package dev.sluice.balancer.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.util.List;

/**
 * The HTTP/1 codec of a server connection, in place of Netty's {@code HttpClientCodec}: Netty's
 * request encoder, and {@link ResponseHeadDecoder}, told the method of each request the encoder
 * writes so that it knows which responses have no body (HEAD) and which start a tunnel (CONNECT).
 */
final class ServerCodec extends CombinedChannelDuplexHandler<ResponseHeadDecoder, ServerCodec.RequestEncoder> {

    /** With a response head as large as {@code bufsize}. */
    ServerCodec(int bufsize) {
        this(bufsize, bufsize);
    }

    /**
     * @param bufsize  {@code tune.bufsize}: the longest chunk-size line and trailer section
     * @param headRoom the most bytes of a response head, line ends excluded ({@code tune.bufsize - tune.maxrewrite})
     */
    ServerCodec(int bufsize, int headRoom) {
        ResponseHeadDecoder decoder = new ResponseHeadDecoder(bufsize, headRoom);
        init(decoder, new RequestEncoder(decoder));
    }

    /** Netty's request encoder, which tells the decoder each request's method as it goes out. */
    static final class RequestEncoder extends HttpRequestEncoder {
        private final ResponseHeadDecoder decoder;

        RequestEncoder(ResponseHeadDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                decoder.expect(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }
}
