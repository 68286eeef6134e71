package dev.sluice.common.net;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where to listen or connect: a host and port, or a unix socket path. The text forms are hitch's:
 * {@code [HOST]:PORT} with mandatory brackets ({@code [*]:443} for every address,
 * {@code [::1]:8080} for IPv6), and a unix socket as an absolute path or {@code unix:PATH}.
 */
public sealed interface Endpoint permits Endpoint.Inet, Endpoint.Unix {

    /** The highest TCP port number. */
    int MAX_PORT = 65_535;

    /**
     * The address a socket of {@code transport} binds or connects to. Resolves a host name, which
     * blocks: call it at startup, never on an event loop.
     */
    SocketAddress socketAddress(Transport transport) throws UnknownHostException;

    /** Parses {@code [HOST]:PORT}, {@code /path} or {@code unix:/path}; the message says what is wrong. */
    static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty address (expected [HOST]:PORT or a unix socket path)");
        }
        if (text.startsWith("unix:")) {
            return new Unix(Path.of(text.substring("unix:".length())));
        }
        if (text.startsWith("/")) {
            return new Unix(Path.of(text));
        }
        if (!text.startsWith("[")) {
            throw new IllegalArgumentException("'" + text + "': expected [HOST]:PORT (the brackets are required,"
                    + " e.g. [*]:443, [127.0.0.1]:8000, [::1]:8080) or a unix socket path");
        }
        int close = text.lastIndexOf(']');
        if (close < 0) {
            throw new IllegalArgumentException("'" + text + "': missing ']' after the host");
        }
        String host = text.substring(1, close);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': empty host (use [*] for every address)");
        }
        if (close + 1 >= text.length() || text.charAt(close + 1) != ':' || close + 2 >= text.length()) {
            throw new IllegalArgumentException("'" + text + "': missing ':PORT' after ']'");
        }
        int port = parsePort(text, text.substring(close + 2));
        return new Inet("*".equals(host) ? null : host, port);
    }

    private static int parsePort(String text, String port) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
        }
        if (value < 1 || value > MAX_PORT) {
            throw new IllegalArgumentException("'" + text + "': port " + value + " is out of range (1-" + MAX_PORT + ")");
        }
        return value;
    }

    /** A TCP endpoint; {@code host} null means every local address (the {@code *} wildcard). */
    record Inet(String host, int port) implements Endpoint {
        public Inet {
            if (port < 1 || port > MAX_PORT) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1-" + MAX_PORT + ")");
            }
        }

        public boolean wildcard() {
            return host == null;
        }

        @Override
        public SocketAddress socketAddress(Transport transport) throws UnknownHostException {
            return wildcard() ? new InetSocketAddress(port) : new InetSocketAddress(InetAddress.getByName(host), port);
        }

        @Override
        public String toString() {
            return "[" + (host == null ? "*" : host) + "]:" + port;
        }
    }

    /** A unix domain stream socket. */
    record Unix(Path path) implements Endpoint {
        public Unix {
            Objects.requireNonNull(path, "path");
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("unix socket path: " + path + " (expected: an absolute path)");
            }
        }

        @Override
        public SocketAddress socketAddress(Transport transport) {
            // Netty's epoll channels take their own address type; NIO takes the JDK's.
            return transport == Transport.EPOLL ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }
}
