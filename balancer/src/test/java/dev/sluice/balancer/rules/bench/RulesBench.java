package dev.sluice.balancer.rules.bench;

import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.config.Compiler;
import dev.sluice.balancer.config.ConfigLoader;
import dev.sluice.balancer.config.LoadResult;
import dev.sluice.balancer.route.ConnectionFacts;
import dev.sluice.balancer.rules.HttpRules;
import dev.sluice.balancer.rules.RuleContext;
import dev.sluice.balancer.rules.Verdict;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per request of a frontend with 20 {@code http-request} rules (header rewrites with samples
 * and converters, conditions that hold and that do not, a variable, a dynamic value) and 2
 * {@code http-response} rules, compiled from configuration text as the balancer does. Each
 * invocation builds a fresh request as the decoder would; {@link #baseline} measures only that, so
 * the rules cost the difference. Run with {@code scripts/bench/rules} ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RulesBench {

    private static final String CONFIG = """
            defaults
              mode http
              timeout connect 1s
              timeout client 5s
              timeout server 5s
            frontend fe
              bind 127.0.0.1:18999
              acl is_api path_beg /api/
              acl is_static path_end .css .js .png
              acl admin hdr_beg(host) -i admin.
              http-request deny if admin !{ src 10.0.0.0/8 }
              http-request deny if { path_beg /internal/ }
              http-request return status 404 if { path /favicon.ico }
              http-request redirect scheme https if { hdr(host) -i secure.example.com }
              http-request set-var(txn.host) req.hdr(host),lower
              http-request set-header X-Forwarded-Host %[var(txn.host)]
              http-request set-header X-Request-Path %[path]
              http-request add-header X-Api 1 if is_api
              http-request set-header X-Static 1 if is_static
              http-request del-header X-Debug
              http-request del-header Proxy
              http-request del-header X-Internal-Token
              http-request set-header X-Client-Port %[src_port]
              http-request replace-value X-Tags ^legacy-(.*) \\1
              http-request set-path /v2%[path] if { path_beg /v1/ }
              http-request set-header X-Lang %[req.hdr(accept-language),word(1,\\,),lower]
              http-request set-header X-Cookie-User %[req.cook(user)]
              http-request set-header X-Edge sluice
              http-request add-header X-Seen yes unless is_static
              http-request set-header X-Url-Param %[url_param(id)]
              http-response set-header X-Host %[var(txn.host)]
              http-response del-header Server
              default_backend be
            backend be
              server s 127.0.0.1:9
            """;

    private static final StateView STATE = new StateView() {
        @Override
        public int usableServers(String backend) {
            return 1;
        }

        @Override
        public int backendConnections(String backend) {
            return 0;
        }

        @Override
        public int frontendConnections(String frontend) {
            return 1;
        }

        @Override
        public int connectionSlots(String backend) {
            return 1;
        }

        @Override
        public int queued(String backend) {
            return 0;
        }

        @Override
        public boolean serverUp(String backend, String server) {
            return true;
        }
    };

    private HttpRules rules;
    private EmbeddedChannel channel;
    private ConnectionFacts facts;
    private RuleContext context;

    @Setup
    public void setUp() {
        LoadResult loaded = ConfigLoader.parse("bench.cfg", CONFIG, Map.of());
        if (!loaded.isValid()) {
            throw new IllegalStateException(loaded.render());
        }
        rules = Compiler.compile(loaded.config().orElseThrow()).plan().frontends().getFirst().rules();
        if (rules.request().size() != 20) {
            throw new IllegalStateException("expected 20 request rules, got " + rules.request().size());
        }
        channel = new EmbeddedChannel();
        facts = new ConnectionFacts(channel, STATE);
        context = new RuleContext(facts, facts::request, "fe");
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static HttpRequest request() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/items?id=42&x=1");
        request.headers().add("Host", "WWW.Example.com").add("User-Agent", "bench/1.0").add("Accept", "*/*")
                .add("Accept-Language", "en-GB,en;q=0.8").add("Cookie", "session=abc; user=alice")
                .add("X-Debug", "1").add("X-Tags", "legacy-a, b");
        return request;
    }

    /** Building the request and response alone: subtract from {@link #rules}. */
    @Benchmark
    public Object baseline() {
        HttpRequest request = request();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Server", "x").add("Content-Length", "2");
        return response.headers().size() + request.headers().size();
    }

    /** The request rules and the response rules of one exchange. */
    @Benchmark
    public Object rules() {
        HttpRequest request = request();
        facts.request(request);
        context.startRequest(request);
        Verdict verdict = rules.runRequest(context);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Server", "x").add("Content-Length", "2");
        context.startResponse(response);
        rules.response().run(context);
        facts.variables().endTransaction();
        facts.request(null);
        if (verdict != Verdict.CONTINUE) {
            throw new IllegalStateException("a rule ended the request: " + verdict);
        }
        return response.headers().size() + request.headers().size();
    }
}
