/**
 * TLS to servers ({@code server … ssl}): one BoringSSL client context per server built at start, the
 * handshake run before a connection is handed to the exchange, and the certificate checks HAProxy
 * makes ({@code verify required}, {@code verifyhost}).
 */
package dev.sluice.balancer.tls;
