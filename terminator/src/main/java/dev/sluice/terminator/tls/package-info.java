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
 *
 * <p>Per handshake, the Java work is: parse the ClientHello in place (no copy of a single-record
 * hello), two map lookups, create the engine from a finished context, and the key-manager callback,
 * which returns a constant alias and key material cached once by
 * {@code OpenSslCachingX509KeyManagerFactory}. Measured on the 2-CPU test machine under load
 * (server pinned to CPU 0, {@code openssl s_time -new} on CPU 1, ECDSA P-256, TLS 1.3, warm JIT):
 * about 330-390 µs of server CPU per full handshake with this selecting handler, the same as an
 * SslHandler of one context without it, and the same as hitch 1.7 measured the same way; JFR showed
 * no execution samples in the selector classes.
 */
package dev.sluice.terminator.tls;
