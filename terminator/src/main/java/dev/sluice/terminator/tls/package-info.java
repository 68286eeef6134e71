/**
 * TLS for the terminator on BoringSSL (netty-tcnative): certificates from PEM, SNI, RSA and ECDSA
 * for the same name, session tickets shared across processes, OCSP stapling.
 *
 * <p>Entry point: {@link dev.sluice.terminator.tls.TlsContexts}. {@code load(TlsSettings)} once per
 * frontend; {@code newHandler(channel)} first in each accepted connection's pipeline (it reads the
 * ClientHello, picks the certificate, and replaces itself by an {@code SslHandler}, firing
 * {@code SniCompletionEvent} then the SslHandler's {@code SslHandshakeCompletionEvent});
 * {@code reload(settings)} on SIGHUP, then {@code close()} the old generation.
 *
 * <p>How RSA and ECDSA share a name: BoringSSL holds one certificate per connection, chosen in
 * Netty's key-manager callback. Tried on netty-tcnative 2.0.84: one context whose NewSunX509 key
 * manager holds both keys serves the right one to TLS 1.3 clients (it reads the client's signature
 * algorithms) but ECDSA to a TLS 1.2 client offering only ECDHE-RSA suites, which then fails with
 * handshake_failure, as the callback never sees the client's cipher list. So the choice is made
 * before the engine exists, from the ClientHello: a TLS 1.3 client gets ECDSA
 * when its signature_algorithms list the certificate's ECDSA scheme, a TLS 1.2 client when it
 * offers an ECDHE_ECDSA suite we enable; everyone else gets RSA. Each certificate has its own
 * context, built once at load.
 */
package dev.sluice.terminator.tls;
