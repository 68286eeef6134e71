package dev.sluice.balancer.check;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an {@code option httpchk} check sends and what it expects back.
 *
 * <p>The request bytes follow what HAProxy 2.6 sends (captured from Debian's haproxy): header names in
 * lower case, {@code content-length} when there is a body (or {@code content-length: 0} when
 * {@code http-check send} asked for HTTP/1.1), and {@code connection: close} on HTTP/1.1.
 *
 * @param method       the request method ({@code OPTIONS} by default)
 * @param uri          the request target ({@code /} by default)
 * @param version      {@code HTTP/1.0} by default
 * @param headers      extra headers, in order
 * @param body         the request body, empty for none
 * @param sendRule     whether {@code http-check send} shaped the request (it adds the empty content-length)
 * @param expect       how the response is judged
 */
public record HttpProbe(String method, String uri, String version, List<Header> headers, String body,
                        boolean sendRule, Expect expect) {

    public static final HttpProbe DEFAULT = new HttpProbe("OPTIONS", "/", "HTTP/1.0", List.of(), "", false,
            Expect.DEFAULT);

    /** One header line of the check request. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name: empty");
            }
        }
    }

    /** How a response passes: HAProxy's {@code http-check expect [!] status|rstatus|string|rstring}. */
    public record Expect(Kind kind, boolean negate, String pattern) {
        /** Without {@code http-check expect}: any 2xx or 3xx status passes. */
        public static final Expect DEFAULT = new Expect(Kind.DEFAULT, false, "");

        /** The forms of {@code http-check expect}. */
        public enum Kind { DEFAULT, STATUS, RSTATUS, STRING, RSTRING }

        public Expect {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(pattern, "pattern");
            if (kind == Kind.RSTATUS || kind == Kind.RSTRING) {
                Pattern.compile(pattern);
            }
        }

        /** Whether the judgement needs the body (string forms) or only the status line. */
        public boolean readsBody() {
            return kind == Kind.STRING || kind == Kind.RSTRING;
        }

        /** Whether a response with {@code status} and {@code body} passes. */
        public boolean passes(int status, String body) {
            boolean match = switch (kind) {
                case DEFAULT -> status >= 200 && status < 400;
                case STATUS -> statusListed(status);
                case RSTATUS -> Pattern.compile(pattern).matcher(Integer.toString(status)).find();
                case STRING -> body.contains(pattern);
                case RSTRING -> Pattern.compile(pattern).matcher(body).find();
            };
            return match != negate;
        }

        /** {@code status} takes a list of codes and ranges: {@code 200,301-302}. */
        private boolean statusListed(int status) {
            for (String part : pattern.split(",")) {
                int dash = part.indexOf('-');
                try {
                    if (dash < 0 ? Integer.parseInt(part.trim()) == status
                            : status >= Integer.parseInt(part.substring(0, dash).trim())
                            && status <= Integer.parseInt(part.substring(dash + 1).trim())) {
                        return true;
                    }
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            return false;
        }

        @Override
        public String toString() {
            return kind == Kind.DEFAULT ? "2xx/3xx" : (negate ? "! " : "") + kind.name().toLowerCase(Locale.ROOT)
                    + " " + pattern;
        }
    }

    public HttpProbe {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(version, "version");
        headers = List.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(expect, "expect");
        if (method.isEmpty() || uri.isEmpty() || version.isEmpty()) {
            throw new IllegalArgumentException("httpchk: empty method, uri or version");
        }
    }

    public HttpProbe withExpect(Expect newExpect) {
        return new HttpProbe(method, uri, version, headers, body, sendRule, newExpect);
    }

    /** The request as it goes on the wire. */
    public byte[] requestBytes() {
        StringBuilder out = new StringBuilder(128);
        out.append(method).append(' ').append(uri).append(' ').append(version).append("\r\n");
        for (Header header : headers) {
            out.append(header.name().toLowerCase(Locale.ROOT)).append(": ").append(header.value()).append("\r\n");
        }
        boolean http11 = version.equalsIgnoreCase("HTTP/1.1");
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        if (bodyBytes.length > 0 || sendRule && http11) {
            out.append("content-length: ").append(bodyBytes.length).append("\r\n");
        }
        if (http11) {
            out.append("connection: close\r\n");
        }
        out.append("\r\n");
        byte[] head = out.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bodyBytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bodyBytes, 0, all, head.length, bodyBytes.length);
        return all;
    }
}
