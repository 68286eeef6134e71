package dev.sluice.terminator.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@link TlsTestServer} as its own process, so tests can show that two processes resume each
 * other's sessions. Arguments: PEM TICKET-KEY-FILE ("-" for none). Prints "listening PORT".
 */
public final class TlsTestServerMain {
    private TlsTestServerMain() {
    }

    public static void main(String[] args) throws Exception {
        TlsSettings settings = TlsSettings.defaults(List.of(PemSource.combined(Path.of(args[0]))));
        if (!args[1].equals("-")) {
            settings = settings.withTicketKeyFile(Path.of(args[1]));
        }
        try (TlsContexts contexts = TlsContexts.load(settings); TlsTestServer server = new TlsTestServer(contexts)) {
            System.out.println("listening " + server.port());
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
