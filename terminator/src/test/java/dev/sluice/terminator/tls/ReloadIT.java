package dev.sluice.terminator.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP-style reload: a new generation serves new connections with the new certificates, a
 * connection accepted before keeps working after the old generation is closed, and a reload that
 * fails leaves the old generation serving.
 */
class ReloadIT {
    @TempDir
    Path dir;

    /** A JDK client that trusts anything: the test checks which certificate came, not trust. */
    private static SSLSocket connect(int port, String name) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
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
        }}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(new Socket("127.0.0.1", port),
                "127.0.0.1", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(name)));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static String cn(SSLSocket socket) throws Exception {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }

    @Test
    void newGenerationServesNewConnectionsAndOldConnectionsLive() throws Exception {
        TestPki pki = new TestPki(dir);
        Path before = pki.combined(pki.leaf("before.test", "ec", null, "www.test"), "before.pem");
        Path after = pki.combined(pki.leaf("after.test", "ec", null, "www.test"), "after.pem");
        TlsContexts first = TlsContexts.load(TlsSettings.defaults(List.of(PemSource.combined(before))));
        try (TlsTestServer server = new TlsTestServer(first, true)) {
            try (SSLSocket old = connect(server.port(), "www.test")) {
                assertEquals("CN=before.test", cn(old));
                TlsContexts second = first.reload(TlsSettings.defaults(List.of(PemSource.combined(after))));
                server.contexts = second;
                first.close();
                try (SSLSocket fresh = connect(server.port(), "www.test")) {
                    assertEquals("CN=after.test", cn(fresh));
                }
                // The old connection's engine, from the closed generation, still encrypts and decrypts.
                InputStream in = old.getInputStream();
                String hello = "OK sni=www.test alpn=null\n";
                assertEquals(hello, new String(in.readNBytes(hello.length()), StandardCharsets.US_ASCII));
                OutputStream out = old.getOutputStream();
                out.write("ping after reload".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertEquals("ping after reload",
                        new String(in.readNBytes("ping after reload".length()), StandardCharsets.US_ASCII));
                second.close();
            }
        }
    }

    @Test
    void aFailedReloadLeavesTheOldGenerationServing() throws Exception {
        TestPki pki = new TestPki(dir);
        Path good = pki.combined(pki.leaf("good.test", "rsa", null, "www.test"), "good.pem");
        Path broken = Files.writeString(dir.resolve("broken.pem"), "garbage\n");
        try (TlsContexts contexts = TlsContexts.load(TlsSettings.defaults(List.of(PemSource.combined(good))));
                TlsTestServer server = new TlsTestServer(contexts)) {
            TlsException e = assertThrows(TlsException.class,
                    () -> contexts.reload(TlsSettings.defaults(List.of(PemSource.combined(broken)))));
            assertTrue(e.getMessage().startsWith(broken.toString()), e.getMessage());
            try (SSLSocket socket = connect(server.port(), "www.test")) {
                assertEquals("CN=good.test", cn(socket));
            }
        }
    }
}
