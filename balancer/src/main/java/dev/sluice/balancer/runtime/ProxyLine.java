package dev.sluice.balancer.runtime;

/**
 * What a server's connections start with: nothing, or a PROXY header ({@code send-proxy},
 * {@code send-proxy-v2}, {@code proxy-v2-options}, {@code send-proxy-v2-ssl[-cn]}).
 *
 * @param version   0 (none), 1 or 2
 * @param ssl       v2: the SSL TLV (the client's TLS version, from the terminator's SSL TLV)
 * @param certCn    v2: with the SSL TLV, its common-name sub-TLV when the terminator sent one
 * @param sslCipher v2: with the SSL TLV, its cipher sub-TLV
 * @param authority v2: the AUTHORITY TLV (the SNI the terminator forwarded)
 * @param crc32c    v2: a CRC32C TLV over the whole header
 */
public record ProxyLine(int version, boolean ssl, boolean certCn, boolean sslCipher, boolean authority,
                        boolean crc32c) {

    public static final ProxyLine NONE = new ProxyLine(0, false, false, false, false, false);

    public ProxyLine {
        if (version < 0 || version > 2) {
            throw new IllegalArgumentException("version: " + version + " (expected: 0, 1 or 2)");
        }
        if ((certCn || sslCipher) && !ssl) {
            throw new IllegalArgumentException("cert-cn/ssl-cipher: set (expected: only with ssl)");
        }
    }

    public boolean enabled() {
        return version != 0;
    }

    /** True when the header would carry at least one TLV (v2 only writes them). */
    public boolean withTlvs() {
        return version == 2 && (ssl || authority);
    }

    public ProxyLine withVersion(int newVersion) {
        return new ProxyLine(newVersion, ssl, certCn, sslCipher, authority, crc32c);
    }
}
