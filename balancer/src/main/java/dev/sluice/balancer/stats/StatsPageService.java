package dev.sluice.balancer.stats;

import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.http.LocalService;
import dev.sluice.balancer.runtime.StatsPage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * A proxy's stats page ({@code stats enable}, {@code stats uri}): HTML, {@code ;csv} and
 * {@code ;json}, behind {@code stats auth} (Basic) when users are set, with {@code stats refresh}
 * as a {@code Refresh} header, and the admin form's actions when {@code stats admin} allows.
 */
public final class StatsPageService implements LocalService {
    private final StatsPage page;
    private final StatsRegistry registry;
    private final ServerActions actions;
    private final List<String> credentials;

    public StatsPageService(StatsPage page, StatsRegistry registry, ServerActions actions) {
        this.page = page;
        this.registry = registry;
        this.actions = actions;
        this.credentials = page.users().stream()
                .map(user -> "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    /** Whether {@code request} asks for this page (its URI starts with {@code stats uri}). */
    public boolean matches(HttpRequest request) {
        return page.enabled() && request.uri().startsWith(page.uri());
    }

    @Override
    public FullHttpResponse answer(HttpRequest request, ByteBuf body, RequestView view, ByteBufAllocator alloc) {
        if (!credentials.isEmpty() && !authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse denied = response(alloc, HttpResponseStatus.UNAUTHORIZED, "text/html",
                    "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n"
                            + "</body></html>\n");
            denied.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + page.realm() + "\"");
            return denied;
        }
        String options = request.uri().substring(page.uri().length());
        boolean admin = page.admin() != null && page.admin().test(view);
        String message = null;
        if (HttpMethod.POST.equals(request.method())) {
            if (!admin) {
                return response(alloc, HttpResponseStatus.FORBIDDEN, "text/plain", "admin actions are not allowed\n");
            }
            message = apply(body.toString(StandardCharsets.UTF_8));
        } else if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            return response(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "GET, HEAD or POST only\n");
        }
        long now = System.nanoTime();
        List<StatRow> rows = StatRows.rows(registry, now);
        FullHttpResponse response;
        if (options.contains(";csv")) {
            response = response(alloc, HttpResponseStatus.OK, "text/plain", StatsFormats.csv(rows));
        } else if (options.contains(";json")) {
            response = response(alloc, HttpResponseStatus.OK, "application/json", StatsFormats.json(rows));
        } else {
            response = response(alloc, HttpResponseStatus.OK, "text/html",
                    StatsHtml.render(registry, page, rows, now, admin, message));
        }
        if (page.refreshSeconds() > 0 && !options.contains(";norefresh")) {
            response.headers().setInt("refresh", page.refreshSeconds());
        }
        return response;
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        String trimmed = header.trim();
        for (String credential : credentials) {
            if (credential.equals(trimmed)) {
                return true;
            }
        }
        return false;
    }

    /** The admin form: {@code b=BACKEND&action=ACTION&s=SERVER[&s=SERVER...]}. */
    private String apply(String form) {
        var params = new QueryStringDecoder(form, false).parameters();
        String backend = first(params.get("b"));
        String action = first(params.get("action"));
        List<String> servers = params.getOrDefault("s", List.of());
        if (backend == null || action == null || servers.isEmpty()) {
            return "Nothing done: choose servers and an action.";
        }
        if (backend.startsWith("#")) {
            backend = byId(backend.substring(1));
        }
        if (backend == null || registry.backend(backend) == null) {
            return "Nothing done: no such backend.";
        }
        StringBuilder result = new StringBuilder();
        int done = 0;
        for (String server : servers) {
            String refusal = actions.apply(backend, server, action);
            if (refusal == null) {
                done++;
            } else {
                result.append(' ').append(server).append(": ").append(refusal).append('.');
            }
        }
        return "Action '" + action + "' applied to " + done + " of " + servers.size() + " servers." + result;
    }

    private String byId(String id) {
        for (StatsRegistry.ProxyEntry proxy : registry.proxies()) {
            if (Integer.toString(proxy.id()).equals(id)) {
                return proxy.name();
            }
        }
        return null;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, String type, String text) {
        ByteBuf content = alloc.buffer(text.length());
        content.writeCharSequence(text, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        return response;
    }
}
