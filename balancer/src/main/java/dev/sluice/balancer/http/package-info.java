/**
 * HTTP/1.1 and HTTP/2 (from clients) proxying; servers are spoken to in HTTP/1.1.
 *
 * <p>Client pipeline, in order: {@code proxy-header} (only with {@code accept-proxy}; leaves after
 * the header), {@code http-decoder} ({@link dev.sluice.balancer.http.RequestHeadDecoder}),
 * {@code http-encoder} ({@link dev.sluice.balancer.http.ProxyResponseEncoder}),
 * {@code http-exchange} ({@link dev.sluice.balancer.http.HttpExchangeHandler}). Server pipeline:
 * {@code server-codec} ({@link dev.sluice.balancer.http.ServerCodec}: Netty's request encoder and
 * our {@link dev.sluice.balancer.http.ResponseHeadDecoder}), {@code server-connection}. After an accepted
 * Upgrade or CONNECT both pipelines hold only a {@code relay}.
 *
 * <p>HTTP/2 ({@code proto h2} binds, or {@code accept-proxy} binds whose PROXY header's ALPN TLV
 * says {@code h2}; {@code protocol-choice} decides the latter and leaves): the connection holds
 * {@code h2-codec} (Netty's frame codec with the {@code tune.h2.*} limits and its flood
 * protections), {@code h2-mux} and {@code h2-guard} ({@link dev.sluice.balancer.http.H2Connection});
 * each stream is a child channel holding {@code h2-stream-codec}, {@code h2-stream-side}
 * ({@link dev.sluice.balancer.http.H2StreamSide}) and the same {@code http-exchange} as HTTP/1.1,
 * which sees the stream through {@link dev.sluice.balancer.http.ClientSide}. So streams get the
 * same routing, balancing, forwardfor, timeouts and error pages. GOAWAYs we send are counted by
 * {@link dev.sluice.balancer.http.H2Refusal}. CONNECT on a stream is answered 501; interim
 * responses other than 100 are dropped; {@code server … proto h2} is not supported yet.
 *
 * <p>Behaviour, and where it differs from HAProxy 2.6 on purpose (see {@code DifferentialIT}):
 * <ul>
 *   <li>Refused with 400 and a close, never forwarded: Content-Length with Transfer-Encoding,
 *       repeated or invalid Content-Length, a final coding other than chunked, invalid header
 *       names or values (NUL included), obsolete line folding and bare LF line ends. HAProxy
 *       accepts several of these (it unfolds, drops the Content-Length, accepts bare LF).</li>
 *   <li>Server responses are read as HAProxy reads them: a 502 for a repeated Content-Length
 *       with different values or one that is not a number, a final coding other than chunked,
 *       chunked twice, an invalid header name or status line, a control character in a value
 *       (HAProxy passes those), or a head larger than {@code tune.bufsize - tune.maxrewrite}
 *       (HAProxy's cut is a few bytes per header lower); accepted: bare LF line ends, folded
 *       lines (joined with spaces), the same Content-Length repeated (kept once) and
 *       Transfer-Encoding with Content-Length (the latter dropped).</li>
 *   <li>A request line longer than {@code tune.bufsize} gets 414 and a header block larger than
 *       it 431 (HAProxy answers 400 to both).</li>
 *   <li>Headers named by {@code Connection} are removed (RFC 9110 §7.6.1), except framing
 *       headers and Host; HAProxy 2.6 forwards them.</li>
 *   <li>Requests keep their HTTP version towards the server; HTTP/1.0 requests ask the server
 *       for keep-alive so the connection can be pooled.</li>
 *   <li>A close-delimited response is chunked for HTTP/1.1 clients; a chunked one reaches an
 *       HTTP/1.0 client close-delimited.</li>
 *   <li>Server connections are pooled per event loop and shared by all clients of that loop, as
 *       HAProxy's {@code http-reuse safe}: a client's first request takes a pooled connection
 *       only when it is idempotent and bodyless, since such a request is resent once on a new
 *       connection if the server closed the pooled one as it went out.</li>
 *   <li>Each request's backend is chosen by the frontend's {@code use_backend} rules (see
 *       {@code dev.sluice.balancer.route}) on the request as received, before
 *       {@code X-Forwarded-For} and hop-by-hop rewriting; requests of one connection may go to
 *       different backends, as with HAProxy.</li>
 *   <li>When every server is at {@code maxconn}, requests queue in the backend until a slot
 *       frees or {@code timeout queue} ends them with 503.</li>
 * </ul>
 *
 * <p>Cost note: both heads are read by our one-pass decoders (one copy of the head, names shared,
 * values as views of the copy, bodies as slices); Netty's encoders still write them out, and
 * its header maps hold them.
 */
package dev.sluice.balancer.http;
