package dev.sluice.terminator.tls;

/** A certificate, key or TLS setting that cannot be used; the message names the file and the problem. */
public final class TlsException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
