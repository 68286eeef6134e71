package dev.sluice.balancer.rules;

import dev.sluice.balancer.format.FormatString;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * {@code set-method}, {@code set-uri}, {@code set-path}, {@code set-pathq}, {@code set-query} and
 * {@code replace-uri}, {@code replace-path}, {@code replace-pathq}: rewrites of the request line.
 */
final class RequestLineActions {

    /** What a rewrite replaces: the whole URI, the path, the query, or the path with its query. */
    enum Part { URI, PATH, QUERY, PATHQ }

    private RequestLineActions() {
    }

    static Action method(FormatString value) {
        return context -> {
            String method = context.renderString(value);
            if (!method.isEmpty() && isToken(method)) {
                context.httpRequest().setMethod(HttpMethod.valueOf(method));
                context.requestChanged();
            }
            return Verdict.CONTINUE;
        };
    }

    static Action uri(Part part, FormatString value) {
        return context -> {
            HttpRequest request = context.httpRequest();
            String rendered = context.renderString(value);
            String uri = request.uri();
            String result = switch (part) {
                case URI -> rendered;
                case PATH -> withPath(uri, rendered);
                case QUERY -> withQuery(uri, rendered);
                case PATHQ -> uri.substring(0, pathStart(uri)) + rendered;
            };
            rewrite(context, result);
            return Verdict.CONTINUE;
        };
    }

    /**
     * {@code replace-uri|path|pathq REGEX FORMAT}: when the regex finds a match in that part of the
     * URI, the whole part becomes the rendered format with {@code \N} replaced by group N (as
     * {@code replace-header} does); otherwise nothing changes.
     */
    static Action replace(Part part, java.util.regex.Pattern regex, FormatString replacement) {
        return context -> {
            String uri = context.httpRequest().uri();
            int start = part == Part.URI ? 0 : pathStart(uri);
            int query = uri.indexOf('?', start);
            int end = part == Part.PATH && query >= 0 ? query : uri.length();
            String replaced = HeaderActions.replaceOne(uri.substring(start, end), regex, context.renderString(replacement));
            if (replaced != null) {
                rewrite(context, uri.substring(0, start) + replaced + uri.substring(end));
            }
            return Verdict.CONTINUE;
        };
    }

    private static void rewrite(RuleContext context, String uri) {
        if (!uri.isEmpty() && isUriSafe(uri)) {
            context.httpRequest().setUri(uri);
            context.requestChanged();
        }
    }

    /** Where the path starts: 0 in origin form, after the authority in absolute form. */
    static int pathStart(String uri) {
        int scheme = uri.indexOf("://");
        if (uri.startsWith("/") || scheme < 0) {
            return 0;
        }
        int slash = uri.indexOf('/', scheme + 3);
        int question = uri.indexOf('?', scheme + 3);
        if (slash < 0 || (question >= 0 && question < slash)) {
            return question < 0 ? uri.length() : question;
        }
        return slash;
    }

    static String withPath(String uri, String path) {
        int start = pathStart(uri);
        int query = uri.indexOf('?', start);
        return uri.substring(0, start) + path + (query < 0 ? "" : uri.substring(query));
    }

    /** An empty query still leaves the {@code ?}, as HAProxy does. */
    static String withQuery(String uri, String query) {
        int q = uri.indexOf('?', pathStart(uri));
        String head = q < 0 ? uri : uri.substring(0, q);
        return head + "?" + query;
    }

    /** No space or control character may reach the request line. */
    private static boolean isUriSafe(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isToken(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c <= ' ' || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
