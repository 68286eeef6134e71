package dev.sluice.terminator.tls;

import java.io.Serial;

/** A TLS setting or file we refuse to run with; the message names the file and the problem. */
public final class TlsException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
