package dev.sluice.balancer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.format.AliasTable;
import dev.sluice.balancer.format.FormatCompiler;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each action over plain Netty messages: what it does to the request or response, and its verdict. */
class ActionsTest {

    private final AclCompiler acl = new AclCompiler(Path.of("."), ProxyCatalog.ANY);
    private final AclScope scope = acl.scope("fe");
    private final RuleParser parser = new RuleParser(new RuleEnvironment(Path.of("."),
            FormatCompiler.forValues(AliasTable.STANDARD, t -> acl.sampleExpression(t, "fe")),
            t -> acl.sampleExpression(t, "fe"), scope::condition));

    private HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a/b?x=1");
    private final NettyView view;
    private final RuleContext context;

    ActionsTest() {
        request.headers().add("Host", "www.example.com").add("X-List", "old1, keep, old2")
                .add("Cookie", "a=1; debug=1; b=2").add("X-Internal-One", "1").add("x-internal-two", "2")
                .add("X-Other", "o");
        view = new NettyView(request);
        context = new RuleContext(view, view::show, "fe");
        context.startRequest(request);
    }

    private Verdict run(String kind, String line) {
        RuleParser.Kind k = switch (kind) {
            case "http-request" -> RuleParser.Kind.REQUEST;
            case "http-response" -> RuleParser.Kind.RESPONSE;
            default -> RuleParser.Kind.REDIRECT;
        };
        return parser.parse(k, words(line), "test:1").run(context);
    }

    /** Space-separated words; "\u00a0" stands for a space inside one word. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        for (String w : line.split(" ")) {
            out.add(w.replace('\u00a0', ' '));
        }
        return out;
    }

    private List<String> names() {
        return request.headers().entries().stream().map(e -> e.getKey()).toList();
    }

    @Test
    void setAddAndDeleteHeaders() {
        assertEquals(Verdict.CONTINUE, run("http-request", "set-header Host %[req.hdr(host),upper]"));
        assertEquals("WWW.EXAMPLE.COM", request.headers().get("host"));
        run("http-request", "add-header X-Other %[src]");
        assertEquals(List.of("o", "192.0.2.7"), request.headers().getAll("x-other"));
        run("http-request", "del-header x-other");
        assertTrue(request.headers().getAll("X-Other").isEmpty());
        run("http-request", "del-header X-INTERNAL- -m beg");
        assertEquals(List.of("X-List", "Cookie", "Host"), names());
    }

    @Test
    void delHeaderMatchingMethods() {
        run("http-request", "del-header -two -m end");
        assertTrue(request.headers().getAll("x-internal-two").isEmpty());
        run("http-request", "del-header ^X-I -m reg");
        assertEquals(1, request.headers().getAll("x-internal-one").size(), "a regex sees names in lower case");
        run("http-request", "del-header ^x-i.*one$ -m reg");
        assertTrue(request.headers().getAll("x-internal-one").isEmpty());
        run("http-request", "del-header Othe -m sub");
        assertTrue(request.headers().getAll("x-other").isEmpty());
    }

    @Test
    void replaceHeaderRewritesWholeValuesInPlace() {
        run("http-request", "replace-header Cookie (.*);\u00a0debug=1(.*) \\1\\2");
        assertEquals("a=1; b=2", request.headers().get("cookie"));
        assertEquals(List.of("Host", "X-List", "Cookie", "X-Internal-One", "x-internal-two", "X-Other"), names(),
                "the rewritten line keeps its place");
        run("http-request", "replace-header X-Other o(.*) \\1z");
        assertEquals("z", request.headers().get("x-other"), "the replacement is the whole new value");
    }

    @Test
    void replaceValueRewritesEachElement() {
        run("http-request", "replace-value X-List ^old(.*) new\\1");
        assertEquals("new1, keep,new2", request.headers().get("x-list"));
    }

    @Test
    void requestLineRewrites() {
        run("http-request", "set-path /v2%[path]");
        assertEquals("/v2/a/b?x=1", request.uri());
        run("http-request", "set-query %[query]&y=2");
        assertEquals("/v2/a/b?x=1&y=2", request.uri());
        run("http-request", "set-method PUT");
        assertEquals(HttpMethod.PUT, request.method());
        run("http-request", "set-uri /only");
        assertEquals("/only", request.uri());
        run("http-request", "set-query %[str()]");
        assertEquals("/only?", request.uri());
        assertEquals("/only?", view.uri().toString(), "the view shows the rewritten request");
    }

    @Test
    void regexRewritesReplaceTheWholePart() {
        run("http-request", "replace-path /a/(.*) /x/\\1%[req.hdr(x-other)]");
        assertEquals("/x/bo?x=1", request.uri());
        run("http-request", "replace-path /nomatch /y");
        assertEquals("/x/bo?x=1", request.uri(), "no match: no change");
        run("http-request", "replace-pathq ^/x/(.*) /z\\1");
        assertEquals("/zbo?x=1", request.uri());
        run("http-request", "replace-uri ^/z(.*)\\?(.*) /\\2/\\1\\x21\\q");
        assertEquals("/x=1/bo!q", request.uri());
        run("http-request", "set-pathq /p?k=v");
        assertEquals("/p?k=v", request.uri());
    }

    @Test
    void patternActionsNeedTheirFile() {
        assertEquals("'http-request add-acl': expects a file name in parentheses, as 'add-acl(FILE)'",
                assertThrows(RuleException.class, () -> run("http-request", "add-acl %[src]")).getMessage());
        assertEquals("'http-request set-map(m.map)' expects 2 arguments (got 1)",
                assertThrows(RuleException.class, () -> run("http-request", "set-map(m.map) %[src]")).getMessage());
    }

    @Test
    void absoluteFormKeepsTheAuthority() {
        request.setUri("http://h.example/p?q=1");
        run("http-request", "set-path /n");
        assertEquals("http://h.example/n?q=1", request.uri());
    }

    @Test
    void conditionsAndFinalVerdicts() {
        assertEquals(Verdict.CONTINUE, run("http-request", "deny if { path /nope }"));
        assertEquals(Verdict.ALLOW, run("http-request", "allow if { path_beg /a/ }"));
        assertEquals(Verdict.DENY, run("http-request", "deny unless { path /nope }"));
        FullHttpResponse reply = context.buildReply(ByteBufAllocator.DEFAULT);
        try {
            assertEquals(403, reply.status().code());
            assertTrue(reply.content().toString(StandardCharsets.UTF_8).contains("Request forbidden"));
        } finally {
            reply.release();
        }
        assertEquals(Verdict.TARPIT, run("http-request", "tarpit deny_status 503"));
        assertEquals(503, buildAndRelease().status().code());
    }

    private FullHttpResponse buildAndRelease() {
        FullHttpResponse reply = context.buildReply(ByteBufAllocator.DEFAULT);
        reply.release();
        return reply;
    }

    @Test
    void returnRendersItsBodyAndHeaders() {
        assertEquals(Verdict.REPLY, run("http-request",
                "return status 201 content-type text/plain lf-string hi\u00a0%[src] hdr X-Path %[path]"));
        FullHttpResponse reply = context.buildReply(ByteBufAllocator.DEFAULT);
        try {
            assertEquals(201, reply.status().code());
            assertEquals("hi 192.0.2.7", reply.content().toString(StandardCharsets.UTF_8));
            assertEquals("/a/b", reply.headers().get("x-path"));
            assertEquals("12", reply.headers().get("content-length"));
            assertNull(reply.headers().get("cache-control"), "return adds no cache-control, as haproxy");
        } finally {
            reply.release();
        }
    }

    @Test
    void redirects() {
        assertEquals(Verdict.REPLY, run("redirect", "prefix /new drop-query append-slash"));
        assertEquals("/new/a/b/", buildAndRelease().headers().get("location"));
        run("redirect", "scheme https code 301");
        FullHttpResponse r = buildAndRelease();
        assertEquals(301, r.status().code());
        assertEquals("https://www.example.com/a/b?x=1", r.headers().get("location"));
        run("http-request", "redirect location /login set-cookie SEEN=1 code 303");
        r = buildAndRelease();
        assertEquals("/login", r.headers().get("location"));
        assertEquals("SEEN=1; path=/;", r.headers().get("set-cookie"));
    }

    @Test
    void variablesKeepTheirScopes() {
        run("http-request", "set-var(txn.host) req.hdr(host),lower");
        run("http-request", "set-var(sess.port) src_port");
        run("http-request", "set-header X-V %[var(txn.host)]-%[var(sess.port)]");
        assertEquals("www.example.com-40123", request.headers().get("x-v"));
        assertEquals(40123L, view.variables().get("sess.port"), "an integer stays an integer");
        view.variables().endTransaction();
        run("http-request", "set-header X-V %[var(txn.host)]-%[var(sess.port)]");
        assertEquals("-40123", request.headers().get("x-v"));
        run("http-request", "unset-var(sess.port)");
        run("http-request", "set-header X-V %[var(sess.port,none)]");
        assertEquals("none", request.headers().get("x-v"));
    }

    @Test
    void responseActions() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Server", "x").add("Set-Cookie", "id=1; Secure; HttpOnly");
        context.startResponse(response);
        run("http-response", "set-header X-Host %[req.hdr(host)]");
        run("http-response", "del-header server");
        run("http-response", "replace-header Set-Cookie (.*);\u00a0Secure(.*) \\1\\2");
        run("http-response", "set-status 503 reason Later");
        assertEquals("www.example.com", response.headers().get("x-host"));
        assertNull(response.headers().get("server"));
        assertEquals("id=1; HttpOnly", response.headers().get("set-cookie"));
        assertEquals(new HttpResponseStatus(503, "Later"), response.status());
        assertEquals("Later", response.status().reasonPhrase());
        assertEquals(Verdict.DENY, run("http-response", "deny"));
        assertEquals(502, buildAndRelease().status().code(), "a response deny answers 502");
    }

    @Test
    void refusedLinesSayWhy() {
        assertEquals("'http-request set-header' expects 2 arguments (got 1)",
                assertThrows(RuleException.class, () -> run("http-request", "set-header X")).getMessage());
        assertTrue(assertThrows(RuleException.class, () -> run("http-request", "sc-inc-gpc(0,0)")).getMessage()
                .contains("not supported yet (stick tables store gpc0, gpc1 and gpt0 here, not the gpc/gpt arrays)"));
        assertTrue(assertThrows(RuleException.class,
                () -> run("http-request", "return string x")).getMessage().contains("'content-type' is required"));
        assertTrue(assertThrows(RuleException.class, () -> run("http-response", "set-path /x")).getMessage()
                .contains("'http-request' only"));
        assertEquals("'http-request deny': missing condition after 'if'",
                assertThrows(RuleException.class, () -> run("http-request", "deny if")).getMessage());
        assertTrue(Arrays.asList(assertThrows(RuleException.class,
                () -> run("http-request", "set-header X %Tq")).getMessage().split(": ")).contains("log-format alias '%Tq' is not supported yet here"));
    }
}
