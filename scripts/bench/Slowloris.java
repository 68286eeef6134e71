import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Benchmark client: keeps N slowloris connections open against HOST:PORT. Each sends the start of
 * a request head, then one more header line every INTERVAL_MS, never the blank line that ends the
 * head; a connection the server closes is opened again at once, so N stay open. Prints "ready N"
 * once all are open, and "reopened K" on each round where the server closed some. Runs until the
 * process is stopped (the benchmark stops it by PID).
 */
public final class Slowloris {
    private static final byte[] START = "GET / HTTP/1.1\r\nHost: bench\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LINE = "X-Slow: 1\r\n".getBytes(StandardCharsets.ISO_8859_1);

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        long interval = args.length > 3 ? Long.parseLong(args[3]) : 1_000;
        Socket[] sockets = new Socket[count];
        for (int i = 0; i < count; i++) {
            sockets[i] = open(target);
        }
        System.out.println("ready " + count);
        long reopenedTotal = 0;
        while (true) {
            Thread.sleep(interval);
            int reopened = 0;
            for (int i = 0; i < count; i++) {
                try {
                    OutputStream out = sockets[i].getOutputStream();
                    if (sockets[i].getInputStream().available() > 0) {
                        throw new IOException("answered (408)");
                    }
                    out.write(LINE);
                    out.flush();
                } catch (IOException closed) {
                    sockets[i].close();
                    sockets[i] = open(target);
                    reopened++;
                }
            }
            if (reopened > 0) {
                reopenedTotal += reopened;
                System.out.println("reopened " + reopened + " total " + reopenedTotal);
            }
        }
    }

    private static Socket open(InetSocketAddress target) throws IOException {
        Socket socket = new Socket();
        socket.setSoLinger(true, 0);
        socket.connect(target, 5_000);
        socket.getOutputStream().write(START);
        return socket;
    }
}
