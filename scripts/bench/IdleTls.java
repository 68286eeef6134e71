import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Benchmark client: opens N TLS connections to HOST:PORT, completes each handshake, prints
 * "ready" and keeps them idle until the process is stopped. Certificates are not
 * verified: the benchmark's server uses a throw-away self-signed one.
 */
public final class IdleTls {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, new SecureRandom());
        List<SSLSocket> sockets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.startHandshake();
            sockets.add(socket);
        }
        System.out.println("ready " + sockets.size());
        System.out.flush();
        // Idle until the benchmark stops this process; the kernel closes the sockets then.
        Thread.sleep(Long.MAX_VALUE);
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
