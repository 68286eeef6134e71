package dev.sluice.balancer.http;

import dev.sluice.balancer.backend.Server;
import dev.sluice.balancer.tcp.Relay;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import java.time.Duration;

/**
 * Turns an HTTP exchange into a byte tunnel once the server accepted an Upgrade (101) or a
 * CONNECT (2xx) and its response is written: the HTTP handlers leave both pipelines and a
 * {@link Relay} joins the two channels. The relay is installed before the decoders leave, so
 * bytes they had already buffered flow into it rather than being lost. The server slot is held
 * until the tunnel closes.
 */
final class TunnelSwitch {
    private TunnelSwitch() {
    }

    static void start(Channel client, HttpExchangeHandler exchange, Channel server, Server slot, Duration idleTimeout,
                      Duration clientFin, Duration serverFin) {
        server.closeFuture().addListener(f -> slot.giveBack());
        client.closeFuture().addListener(f -> server.close());
        Relay.join(client, server, idleTimeout, clientFin, serverFin);
        server.pipeline().remove(ServerConnection.NAME);
        server.pipeline().remove(HttpFrontend.SERVER_CODEC);
        ChannelPipeline pipeline = client.pipeline();
        pipeline.remove(exchange);
        pipeline.remove(HttpFrontend.ENCODER);
        pipeline.remove(HttpFrontend.CODEC);
    }
}
