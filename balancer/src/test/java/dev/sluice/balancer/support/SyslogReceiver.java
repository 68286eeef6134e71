package dev.sluice.balancer.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A syslog receiver on loopback UDP: every datagram, in arrival order. */
public final class SyslogReceiver implements AutoCloseable {
    /** How long {@link #next()} waits for a line. */
    public static final Duration LINE_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_DATAGRAM = 65_535;
    private final DatagramSocket socket;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    public SyslogReceiver() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        reader = Thread.ofPlatform().daemon().name("syslog-receiver").start(this::read);
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void read() {
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return;
            }
            lines.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }

    /** The next datagram, or null after {@link #LINE_TIMEOUT}. */
    public String next() throws InterruptedException {
        return next(LINE_TIMEOUT);
    }

    /** The next datagram, or null after {@code timeout}. */
    public String next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        reader.join(LINE_TIMEOUT.toMillis());
    }
}
