package dev.sluice.balancer.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.1 client for tests: sends exact bytes, reads responses strictly. */
public final class RawHttp implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(SocketAddress address) {
        try {
            socket = new Socket();
            socket.connect(address, 2_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            in = new java.io.BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RawHttp to(SocketAddress address) {
        return new RawHttp(address);
    }

    public RawHttp send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] raw) {
        try {
            out.write(raw);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void setTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed response: status, headers (lower-case names, lines in order), body bytes, trailer lines. */
    public record Response(int status, List<Map.Entry<String, String>> headers, byte[] body, List<String> trailers) {
        public String header(String name) {
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equals(name.toLowerCase(Locale.ROOT))) {
                    return h.getValue();
                }
            }
            return null;
        }

        public String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    public Response read() {
        return read(false);
    }

    /** Reads one response; {@code toHead}: it answers a HEAD (no body whatever the headers say). */
    public Response read(boolean toHead) {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new AssertionError("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            String line;
            while (!(line = line()).isEmpty()) {
                int colon = line.indexOf(':');
                headers.add(Map.entry(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim()));
            }
            Map<String, String> first = new LinkedHashMap<>();
            headers.forEach(h -> first.putIfAbsent(h.getKey(), h.getValue()));
            byte[] body;
            List<String> trailers = new ArrayList<>();
            if (toHead || status / 100 == 1 || status == 204 || status == 304) {
                body = new byte[0];
            } else if (first.containsKey("transfer-encoding")) {
                body = chunked(trailers);
            } else if (first.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(first.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, body, trailers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] chunked(List<String> trailers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                String trailer;
                while (!(trailer = line()).isEmpty()) {
                    trailers.add(trailer);
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** True once the peer has closed (EOF) within the read timeout; false if data or timeout. */
    public boolean closedByPeer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Exactly {@code n} raw bytes (for tunnels). */
    public String readBytes(int n) {
        try {
            return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress local() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket twice is harmless
        }
    }
}
