package dev.sluice.balancer.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.format.AliasTable;
import dev.sluice.balancer.format.FormatCompiler;
import dev.sluice.balancer.rules.NettyView;
import dev.sluice.balancer.runtime.BindPlan;
import dev.sluice.balancer.runtime.ForwardFor;
import dev.sluice.balancer.runtime.FrontendPlan;
import dev.sluice.balancer.runtime.Mode;
import dev.sluice.balancer.runtime.Timeouts;
import dev.sluice.balancer.runtime.UseBackendRule;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code use_backend %[…]}: the rendered name picks a candidate; an unknown name means the default backend. */
class DynamicRoutingTest {

    private final AclCompiler acl = new AclCompiler(Path.of("."), ProxyCatalog.ANY);

    private Router<String> router(String format) {
        FormatCompiler formats = FormatCompiler.forValues(AliasTable.STANDARD, t -> acl.sampleExpression(t, "fe"));
        UseBackendRule rule = new UseBackendRule(format, acl.scope("fe").condition(List.of("if", "{", "path_beg",
                "/app", "}")), formats.compile(format));
        FrontendPlan plan = new FrontendPlan("fe", Mode.HTTP, List.of(BindPlan.of(new InetSocketAddress("127.0.0.1", 0))),
                0, "fallback", List.of(rule), ForwardFor.DISABLED, Timeouts.NONE, Map.of());
        return new Router<>(plan, name -> "route:" + name, List.of("api", "web", "fallback"));
    }

    private static NettyView request(String uri, String host) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().add("Host", host);
        return new NettyView(request);
    }

    @Test
    void theRenderedNameChoosesTheBackend() {
        Router<String> router = router("%[req.hdr(host),lower,field(1,.)]");
        assertEquals("route:api", router.choose(request("/app/x", "API.example.com")));
        assertEquals("route:web", router.choose(request("/app/x", "web.example.com")));
        assertTrue(router.conditional());
    }

    @Test
    void anUnknownNameOrAFalseConditionFallsBackToTheDefault() {
        Router<String> router = router("%[req.hdr(host),lower,field(1,.)]");
        assertEquals("route:fallback", router.choose(request("/app/x", "nowhere.example.com")));
        assertEquals("route:fallback", router.choose(request("/other", "api.example.com")));
        assertEquals("route:fallback", router.choose(request("/app/x", "")), "an empty name is no backend");
    }
}
