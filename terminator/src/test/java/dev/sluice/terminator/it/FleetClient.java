package dev.sluice.terminator.it;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/** What the fleet tests ask of a running terminator: one HTTPS request per new TLS connection, a worker's metrics. */
final class FleetClient {
    private static final byte[] REQUEST = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** More than any answer of the capture backend or the metrics listener. */
    private static final int MAX_ANSWER = 64 * 1024;

    private FleetClient() {
    }

    /** The answer of one request and the certificate the server presented. */
    record Answer(String text, X509Certificate leaf) {
    }

    /** Opens a new TLS connection (a full handshake: a new JDK context each time), sends GET, reads to EOF. */
    static Answer request(int port) throws Exception {
        try (SSLSocket socket = TlsClient.connect(port, "localhost")) {
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            socket.getOutputStream().write(REQUEST);
            socket.getOutputStream().flush();
            return new Answer(readAll(socket.getInputStream()), leaf);
        }
    }

    /** The Prometheus text of the metrics listener on {@code port}. */
    static String metrics(int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(REQUEST);
            return readAll(socket.getInputStream());
        }
    }

    /** The value of an unlabelled counter or gauge in Prometheus text. */
    static long value(String prometheus, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)$").matcher(prometheus);
        if (!matcher.find()) {
            throw new AssertionError(name + " not in\n" + prometheus);
        }
        return Long.parseLong(matcher.group(1));
    }

    /** The certificate of a PEM file holding a key and one certificate. */
    static X509Certificate certificate(Path pem) throws Exception {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN CERTIFICATE-----");
        Certificate parsed = CertificateFactory.getInstance("X.509").generateCertificate(
                new java.io.ByteArrayInputStream(text.substring(begin).getBytes(StandardCharsets.US_ASCII)));
        return (X509Certificate) parsed;
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        for (int n; (n = in.read(chunk)) > 0 && out.size() < MAX_ANSWER; ) {
            out.write(chunk, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
