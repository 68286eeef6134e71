package dev.sluice.balancer.acl;

import dev.sluice.balancer.route.ConnectionFacts;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * ACL evaluation alone: ten conditions of a typical frontend (path prefixes and suffixes, host
 * domain, cookie presence, URL parameter, header regex, method, header counts and values, source
 * port, an or of anonymous ACLs) tested against one decoded request through {@link ConnectionFacts},
 * the view the balancer's fetches read. The request is built once: what is measured is the fetches,
 * converters and matchers ({@code -prof gc} should show no allocation). Run with
 * {@code scripts/bench/hotpath AclBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled") // as the launcher runs it
public class AclBench {

    private static final String[] ACLS = {
        "api path_beg /api/ /v2/",
        "static path_end .css .js .png",
        "www hdr_dom(host) -i example.com",
        "session req.cook(SID) -m found",
        "debug url_param(debug) 1",
        "ua hdr_reg(user-agent) -i bot|crawler",
        "high_port src_port gt 1024",
        "field_check req.hdr(host),field(1,.) -m str www",
    };
    private static final String[] CONDITIONS = {
        "if api METH_POST", "if static or www", "if session !debug", "if ua", "if high_port",
        "if field_check", "if HTTP_1.1", "if { path -m sub admin } || { hdr_cnt(cookie) gt 3 }",
        "if { hdr_val(x-n) gt 5 } { urlp_val(x) eq 1 } { cook_val(n) 3 }", "unless www",
    };

    private Condition[] conditions;
    private Condition hostDomain;
    private EmbeddedChannel channel;
    private ConnectionFacts facts;

    @Setup
    public void setUp() {
        AclScope scope = new AclCompiler(Path.of("."), ProxyCatalog.ANY).scope("fe");
        for (String acl : ACLS) {
            scope.define(words(acl));
        }
        List<Condition> compiled = new ArrayList<>();
        for (String condition : CONDITIONS) {
            compiled.add(scope.condition(words(condition)));
        }
        conditions = compiled.toArray(Condition[]::new);
        hostDomain = scope.condition(words("if www"));
        channel = new EmbeddedChannel();
        facts = new ConnectionFacts(channel, new TestRequest.TestState());
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/users?debug=0&x=1");
        request.headers().add("Host", "WWW.Example.com").add("User-Agent", "curl/8.0")
                .add("Accept", "*/*").add("Cookie", "SID=abc; theme=dark; n=3").add("X-N", "7");
        facts.request(request);
        if (evaluate() != 5) {
            throw new IllegalStateException("expected 5 of 10 conditions to hold, got " + evaluate());
        }
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    private static List<String> words(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }

    private int evaluate() {
        int held = 0;
        for (Condition condition : conditions) {
            if (condition.test(facts)) {
                held++;
            }
        }
        return held;
    }

    /** The ten conditions, one request. */
    @Benchmark
    public int tenConditions() {
        return evaluate();
    }

    /** One common condition: {@code hdr_dom(host) -i example.com}. */
    @Benchmark
    public boolean hostDomain() {
        return hostDomain.test(facts);
    }
}
