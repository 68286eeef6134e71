package dev.sluice.balancer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.balancer.backend.Backend;
import dev.sluice.balancer.front.ProxyHeaderPhase;
import dev.sluice.balancer.runtime.RuntimePlan;
import dev.sluice.balancer.support.Plans;
import dev.sluice.common.net.Transport;
import dev.sluice.common.proxy.ProxyHeader;
import dev.sluice.common.proxy.ProxyHeaderEncoder;
import dev.sluice.common.proxy.Tlv;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On an accept-proxy bind, the PROXY header's ALPN picks the protocol, and the choice leaves. */
class ProtocolChoiceTest {

    private static HttpFrontend frontend() {
        RuntimePlan plan = Plans.http().acceptProxy().server("s", new InetSocketAddress("127.0.0.1", 9)).build();
        return new HttpFrontend(plan.frontends().getFirst(), Map.of("be", new Backend(plan.backends().getFirst())),
                null, 16_384, Transport.NIO);
    }

    private static EmbeddedChannel afterHeader(List<Tlv> tlvs) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(ProxyHeaderPhase.NAME, new ProxyHeaderPhase(Duration.ofSeconds(5)));
        frontend().initClient(channel);
        assertNotNull(channel.pipeline().get(ProtocolChoice.NAME));
        ProxyHeader header = ProxyHeader.proxy(new InetSocketAddress("192.0.2.1", 5000),
                new InetSocketAddress("192.0.2.2", 443), tlvs);
        ByteBuf bytes = Unpooled.buffer();
        ProxyHeaderEncoder.encodeV2(header, bytes, false);
        channel.writeInbound(bytes);
        return channel;
    }

    private static void finish(EmbeddedChannel channel) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void alpnH2InstallsHttp2AndTheChoiceLeaves() {
        EmbeddedChannel channel = afterHeader(List.of(Tlv.alpn("h2")));
        assertNull(channel.pipeline().get(ProtocolChoice.NAME));
        assertNull(channel.pipeline().get(ProxyHeaderPhase.NAME));
        assertNotNull(channel.pipeline().get(H2Connection.CODEC));
        assertNotNull(channel.pipeline().get(H2Connection.MUX));
        assertNull(channel.pipeline().get(HttpFrontend.CODEC));
        // Our SETTINGS frame (the server preface) went out at once.
        ByteBuf preface = channel.readOutbound();
        assertEquals(0x4, preface.getByte(3));
        preface.release();
        finish(channel);
    }

    @Test
    void otherAlpnOrNoneInstallsHttp11() {
        for (List<Tlv> tlvs : List.of(List.of(Tlv.alpn("http/1.1")), List.<Tlv>of())) {
            EmbeddedChannel channel = afterHeader(tlvs);
            assertNull(channel.pipeline().get(ProtocolChoice.NAME));
            assertNotNull(channel.pipeline().get(HttpFrontend.CODEC));
            assertNotNull(channel.pipeline().get(HttpFrontend.EXCHANGE));
            assertNull(channel.pipeline().get(H2Connection.CODEC));
            finish(channel);
        }
    }
}
