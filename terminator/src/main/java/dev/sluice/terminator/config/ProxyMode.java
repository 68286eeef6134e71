package dev.sluice.terminator.config;

/** What the terminator writes to the backend before the client's bytes (hitch: at most one). */
public enum ProxyMode {
    /** Nothing: the backend sees the decrypted stream only. */
    NONE,
    /** A PROXY protocol v1 text line. */
    PROXY_V1,
    /** A PROXY protocol v2 binary header with TLVs (hitch's {@code write-proxy}). */
    PROXY_V2,
    /** One family octet then the client address in 4 or 16 octets (hitch's {@code write-ip}). */
    WRITE_IP,
    /** The PROXY header the client sent, passed through (hitch's {@code proxy-proxy}). */
    PROXY_PROXY
}
