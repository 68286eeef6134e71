package dev.sluice.balancer.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A health-check peer on loopback: on each connection it sends a greeting, then answers each read with the
 * next scripted reply; when the replies run out it closes or stays silent until the checker closes. Peers
 * hold no state between connections, so HAProxy and sluice can check the same one.
 */
final class ScriptedPeer implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 4096;
    private static final int READ_BYTES = 4096;

    private final ServerSocket socket;
    private final String greeting;
    private final List<String> replies;
    private final boolean closeAfter;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /**
     * @param greeting   sent on accept, empty for none
     * @param replies    one per read, in order
     * @param closeAfter close once the replies are sent (else wait for the checker to close)
     */
    ScriptedPeer(String greeting, List<String> replies, boolean closeAfter) {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.greeting = greeting;
        this.replies = List.copyOf(replies);
        this.closeAfter = closeAfter;
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        for (int i = 0; i < MAX_CONNECTIONS && !socket.isClosed(); i++) {
            try {
                Socket client = socket.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            out.write(greeting.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] buffer = new byte[READ_BYTES];
            for (String reply : replies) {
                if (in.read(buffer) < 0) {
                    return;
                }
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            if (closeAfter) {
                return;
            }
            // Silent until the checker gives up; each read is bounded by the checker's own timeout.
            int read = 0;
            while (read >= 0) {
                read = in.read(buffer);
            }
        } catch (IOException e) {
            // the checker reset the connection: nothing to answer
        } finally {
            open.remove(client);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket client : open) {
            client.close();
        }
    }
}
