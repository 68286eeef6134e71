package dev.sluice.balancer.stats;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.http.LocalService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code http-request use-service prometheus-exporter}: every figure in the Prometheus text format. */
public final class PrometheusService implements LocalService {
    private final StatsRegistry registry;

    public PrometheusService(StatsRegistry registry) {
        this.registry = registry;
    }

    /** HAProxy's name for its exporter applet, shown as the server in access logs. */
    @Override
    public String logName() {
        return "<PROMEX>";
    }

    @Override
    public FullHttpResponse answer(HttpRequest request, ByteBuf body, RequestView view, ByteBufAllocator alloc) {
        return StatsPageService.response(alloc, HttpResponseStatus.OK, Prometheus.CONTENT_TYPE,
                Prometheus.render(registry, System.nanoTime()));
    }
}
