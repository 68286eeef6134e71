package dev.sluice.balancer.log;

import java.net.InetSocketAddress;

/**
 * One connection's log facts, filled by the handlers at named phases with {@link System#nanoTime()}
 * and reset after each line: no allocation per request. Field meanings follow HAProxy's timers:
 * TR (request head received, from its first byte), Tw (queue), Tc (connect), Tr (response head),
 * Ta (whole request); Tt for a TCP session. A phase never reached logs as -1.
 */
public final class LogRecord {
    static final long UNSET = -1;

    final AccessLog log;
    private io.netty.channel.Channel channel;
    InetSocketAddress client;
    long acceptNanos;
    long acceptMillis;
    long startNanos = UNSET;
    long startMillis;
    long headersNanos = UNSET;
    long queuedUntilNanos = UNSET;
    /** Where Tw starts when it is not the end of the request head: the start of a tarpit. */
    long waitFromNanos = UNSET;
    long connectedNanos = UNSET;
    long responseNanos = UNSET;
    int status = -1;
    long bytesOut;
    long bytesIn;
    String backend;
    String server;
    dev.sluice.balancer.backend.Server serverState;
    private dev.sluice.balancer.backend.Backend backendState;
    int serverConnections;
    int backendConnections;
    int backendQueue;
    int actconn = -1;
    int feconn = -1;
    int retries;
    /** A retry went to another server: HAProxy writes %rc with a leading '+'. */
    boolean redispatched;
    char who = Termination.NORMAL;
    char phase = Termination.AT_END;
    CharSequence method;
    CharSequence uri;
    CharSequence version;
    private boolean wroteAny;
    /** Where this request's idle time began: the accept, then the end of the previous line (Ti, Tq, Tt). */
    long idleFromNanos;
    /** The request a log-format's samples read, and the view they read it through (custom formats only). */
    private io.netty.handler.codec.http.HttpRequest request;
    private dev.sluice.balancer.route.ConnectionFacts facts;
    /** %ci's text, made once per client address (a connection keeps its address). */
    private InetSocketAddress clientTextOf;
    /** The local address of the server connection (%bi, %bp), or null. */
    InetSocketAddress serverSource;
    private String clientText;
    /** What answered instead of a server (HAProxy's applet names, e.g. {@code <STATS>}), or null. */
    private String localServer;
    /** {@code set-log-level}: this request's line at this syslog severity, or {@link #SILENT}; UNSET: as usual. */
    int severity = (int) UNSET;
    /** {@code set-log-level silent}: no line for this request. */
    public static final int SILENT = 8;
    /** This request's unique id (%ID, the unique-id fetch), made at its first use; null before or without a format. */
    String uniqueId;
    /** This request's number from the process counter (%rt), taken at its first use; UNSET before. */
    private long requestNumber = UNSET;
    /** {@code option logasap}: the line went out already; the end of the exchange writes none. */
    private boolean loggedEarly;
    /** The connection failed before any request (a PROXY header error): its line is a connection error's. */
    private boolean connectionError;

    /** Captured header values of the current request and response (null where absent). */
    final CharSequence[] requestCaptured;
    final CharSequence[] responseCaptured;
    /** {@code capture cookie}: the request's and the response's cookie as name=value (%CC, %CS), or null. */
    CharSequence cookieClient;
    CharSequence cookieServer;

    LogRecord(AccessLog log) {
        this.log = log;
        requestCaptured = new CharSequence[log.plan().requestCaptures().size()];
        responseCaptured = new CharSequence[log.plan().responseCaptures().size()];
    }

    /**
     * The connection was accepted (stamps %t, the start of Tt and of the first request). The
     * client's address is read when a line is written, after any PROXY header replaced it.
     */
    public void accepted(io.netty.channel.Channel connection) {
        channel = connection;
        acceptNanos = System.nanoTime();
        acceptMillis = System.currentTimeMillis();
        idleFromNanos = acceptNanos;
        if (log.plan().format() != null || log.plan().extras().readsSamples()) {
            facts = new dev.sluice.balancer.route.ConnectionFacts(connection, log.state());
        }
    }

    /**
     * The log-format's {@code %[var(...)]} read the variables of {@code owner}, the view the
     * connection's rules set them on (its {@code txn.*} ones live there only).
     */
    public void readsVariablesOf(dev.sluice.balancer.route.ConnectionFacts owner) {
        if (facts != null) {
            facts.shareVariables(owner);
        }
    }

    /** Bytes arrived from the client: the first of a request starts its clock (TR, %tr). */
    public void clientBytes(int count) {
        bytesIn += count;
        if (startNanos == UNSET) {
            startNanos = System.nanoTime();
            startMillis = System.currentTimeMillis();
        }
    }

    /** Bytes went out to the client (%B). */
    public void clientBytesOut(int count) {
        bytesOut += count;
    }

    /** The request head is complete (end of TR); captures its headers. */
    public void requestHead(io.netty.handler.codec.http.HttpRequest request) {
        requestHead(request.method().name(), request.uri(), request.protocolVersion().text());
        if (facts != null) {
            this.request = request;
        }
        capture(log.plan().requestCaptures(), request.headers(), requestCaptured);
        if (log.plan().cookie() != null) {
            cookieClient = CookieCapture.request(request.headers(), log.plan().cookie());
        }
    }

    /** The response head arrived (end of Tr); captures its headers; the line goes out now under logasap. */
    public void responseHead(io.netty.handler.codec.http.HttpResponse response) {
        responseHead(response.status().code());
        capture(log.plan().responseCaptures(), response.headers(), responseCaptured);
        if (log.plan().cookie() != null) {
            cookieServer = CookieCapture.response(response.headers(), log.plan().cookie());
        }
        if (log.plan().extras().logAsap()) {
            writeEarly();
        }
    }

    /**
     * This request's unique id ({@code unique-id-format}), rendered at its first use and kept until
     * the request ends (HAProxy: the header, a rule's {@code %[unique-id]} or the log line, whichever
     * comes first); null without a format.
     */
    public String uniqueId() {
        if (uniqueId == null && log.plan().extras().uniqueId() != null) {
            if (client == null && channel != null) {
                client = dev.sluice.balancer.front.ClientAddress.of(channel); // %ci, %cp (after any PROXY header)
            }
            uniqueId = log.renderUniqueId(this);
        }
        return uniqueId;
    }

    /**
     * The request goes to a server ({@code route} chosen, http-request rules done): as HAProxy, the
     * unique id is made now even when not sent, then added as {@code unique-id-header} if set.
     */
    public void requestRouted(io.netty.handler.codec.http.HttpRequest request) {
        if (log.plan().extras().uniqueId() == null) {
            return;
        }
        String id = uniqueId();
        String header = log.plan().extras().uniqueIdHeader();
        if (header != null) {
            request.headers().add(header, id);
        }
    }

    /** This request's number from the process counter, taken at its first use (%rt). */
    long requestNumber() {
        if (requestNumber == UNSET) {
            requestNumber = RequestCounter.next();
        }
        return requestNumber;
    }

    /** logasap: the line now, with what is known (HAProxy marks the totals that go on with {@code +}). */
    private void writeEarly() {
        if (loggedEarly || !log.enabled()) {
            return;
        }
        client = dev.sluice.balancer.front.ClientAddress.of(channel);
        endRequestScope();
        actconn = log.actconn();
        feconn = log.feconn();
        readBackendFigures();
        log.write(this, System.nanoTime());
        // As HAProxy: the early line was the exchange's, even one dontlog-normal left out.
        loggedEarly = true;
    }

    private static void capture(java.util.List<HeaderCapture> captures, io.netty.handler.codec.http.HttpHeaders headers,
                                CharSequence[] into) {
        for (int i = 0; i < into.length; i++) {
            String name = captures.get(i).name();
            if (name != null) { // the other slots are the capture rules'
                into[i] = headers.get(name);
            }
        }
    }

    /**
     * {@code http-request capture} ({@code request}) or {@code http-response capture}: fills slot
     * {@code slot} of the current exchange; a slot this frontend does not have is ignored.
     */
    public void captured(boolean request, int slot, CharSequence value) {
        CharSequence[] into = request ? requestCaptured : responseCaptured;
        if (slot >= 0 && slot < into.length) {
            into[slot] = value;
        }
    }

    /** The request head is complete (end of TR). */
    public void requestHead(CharSequence requestMethod, CharSequence requestUri, CharSequence protocol) {
        headersNanos = System.nanoTime();
        if (startNanos == UNSET) {
            startNanos = headersNanos;
            startMillis = System.currentTimeMillis();
        }
        method = requestMethod;
        uri = requestUri;
        version = protocol;
    }

    /** The backend's figures (%bc, %bq) are read when the line is written, as HAProxy does. */
    public void backend(dev.sluice.balancer.backend.Backend chosen) {
        backend = chosen.name();
        backendState = chosen;
    }

    /** A server took the request (end of Tw); its figure (%sc) is read when the line is written. */
    public void serverTaken(dev.sluice.balancer.backend.Server taken) {
        queuedUntilNanos = System.nanoTime();
        server = taken.name();
        serverState = taken;
    }

    /**
     * Reads the connection counts now (%ac/%fc/%bc/%sc/%bq), for a line written after the
     * connection closes (our own answers close it as soon as they are sent).
     */
    public void freezeCounters() {
        actconn = log.actconn();
        feconn = log.feconn();
        readBackendFigures();
    }

    private void readBackendFigures() {
        if (backendState != null) {
            backendConnections = backendState.busy();
            backendQueue = backendState.queued();
        }
        if (serverState != null) {
            serverConnections = serverState.busy();
        }
    }

    /** The server connection is ready (end of Tc; a pooled one counts as instant). */
    public void connected() {
        connectedNanos = System.nanoTime();
    }

    /**
     * As {@link #connected()}, and {@code server}'s local address is the source the server sees (%bi,
     * %bp). In mode tcp under logasap, the line goes out now.
     */
    public void connected(io.netty.channel.Channel server) {
        connected();
        serverSource = server.localAddress() instanceof InetSocketAddress local ? local : null;
        if (log.plan().extras().logAsap() && !log.http()) {
            writeEarly();
        }
    }

    /** A connect attempt failed and another one follows (%rc). */
    public void retried() {
        retries++;
    }

    /** A retry left its server for another one (%rc is written "+N"). */
    public void redispatched() {
        redispatched = true;
    }

    /** The response head arrived (end of Tr) with this status. */
    public void responseHead(int code) {
        responseNanos = System.nanoTime();
        status = code;
    }

    /** How the exchange ended, when not normally: see {@link Termination}. */
    public void terminated(char byWhom, char atPhase) {
        if (who == Termination.NORMAL) {
            who = byWhom;
            phase = atPhase;
        }
    }

    /** An answer the proxy made itself (an error page): its status. */
    public void answered(int code) {
        status = code;
    }

    /** Writes the line for what was recorded (unless dontlognull applies) and resets for the next request. */
    public void end() {
        long now = System.nanoTime();
        if (startNanos == UNSET && bytesIn == 0 && log.plan().dontLogNull()) {
            wroteAny = true;
            reset();
            return;
        }
        client = dev.sluice.balancer.front.ClientAddress.of(channel);
        wroteAny = true;
        endRequestScope();
        if (actconn < 0) {
            // A connection that closed gave its slot back already, yet HAProxy counts the one it logs.
            int closed = connectionClosed() ? 1 : 0;
            actconn = log.actconn() + closed;
            feconn = log.feconn() + closed;
            readBackendFigures();
        }
        if (!loggedEarly && log.enabled()) {
            log.write(this, now);
        }
        reset();
        idleFromNanos = System.nanoTime();
    }

    /**
     * {@link #end()} for a session logged once its connection closed (mode tcp): the connection's
     * own slot in %ac/%fc was given back already, yet HAProxy counts the session it logs.
     */
    public void endAfterClose() {
        actconn = log.actconn() + 1;
        feconn = log.feconn() + 1;
        readBackendFigures();
        end();
    }

    /** True when the client connection (an HTTP/2 stream's parent) is closed. */
    private boolean connectionClosed() {
        io.netty.channel.Channel connection = channel instanceof io.netty.handler.codec.http2.Http2StreamChannel
                ? channel.parent() : channel;
        return connection != null && !connection.isActive();
    }

    /** Forgets the request without a line (an idle kept-alive connection that just closed). */
    public void discard() {
        reset();
    }

    /**
     * HAProxy's "error" of log-separate-errors and dontlog-normal: a termination state other than
     * normal or a local answer, a retry, or (in HTTP) a 5xx status.
     */
    boolean failed(boolean http) {
        return (who != Termination.NORMAL && who != Termination.LOCAL) || retries > 0 || (http && status >= 500);
    }

    /**
     * True when the line is about the connection, not a request: a connection error, or in HTTP no
     * request head parsed (HAProxy logs those for the session, without a stream).
     */
    boolean connectionLevel(boolean http) {
        return connectionError || (http && method == null);
    }

    /**
     * This record describes {@code connection}, accepted at the given clocks, that failed before
     * any request: HAProxy's state PR, status 0, nothing exchanged, counts read now.
     */
    void connectionError(io.netty.channel.Channel connection, long acceptedMillis, long acceptedNanos) {
        channel = connection;
        acceptMillis = acceptedMillis;
        acceptNanos = acceptedNanos;
        idleFromNanos = acceptedNanos;
        connectionError = true;
        client = connection.remoteAddress() instanceof InetSocketAddress peer ? peer : null;
        status = 0;
        terminated(Termination.PROXY, Termination.AT_REQUEST);
        int closed = connectionClosed() ? 1 : 0;
        actconn = log.actconn() + closed;
        feconn = log.feconn() + closed;
    }

    /**
     * {@code http-request|http-response set-log-level}: this request's line goes out at syslog
     * {@code severity} (0 emerg … 7 debug), or not at all with {@link #SILENT}.
     */
    public void logLevel(int severity) {
        this.severity = severity;
    }

    /** The severity number of a {@code set-log-level} word, {@link #SILENT} for "silent", or -1. */
    public static int severityOf(String word) {
        return word.equals("silent") ? SILENT : SyslogLevels.NAMES.indexOf(word);
    }

    private void reset() {
        startNanos = UNSET;
        headersNanos = UNSET;
        queuedUntilNanos = UNSET;
        waitFromNanos = UNSET;
        connectedNanos = UNSET;
        serverSource = null;
        responseNanos = UNSET;
        status = -1;
        bytesOut = 0;
        bytesIn = 0;
        backend = null;
        server = null;
        backendState = null;
        serverState = null;
        actconn = -1;
        feconn = -1;
        serverConnections = 0;
        backendConnections = 0;
        backendQueue = 0;
        retries = 0;
        redispatched = false;
        who = Termination.NORMAL;
        phase = Termination.AT_END;
        method = null;
        uri = null;
        version = null;
        request = null;
        localServer = null;
        uniqueId = null;
        severity = (int) UNSET;
        requestNumber = UNSET;
        loggedEarly = false;
        if (facts != null) {
            facts.request(null);
        }
        java.util.Arrays.fill(requestCaptured, null);
        java.util.Arrays.fill(responseCaptured, null);
        cookieClient = null;
        cookieServer = null;
    }

    /**
     * The request was answered inside the balancer ({@code <STATS>}, {@code <PROMEX>}: what HAProxy
     * logs as the server of its applets) with {@code code}; HAProxy's state for it is LR.
     */
    public void answeredLocally(String service, int code) {
        localServer = service;
        status = code;
        // HAProxy's applets take the request at once: Tw, Tc and Tr are 0.
        long now = System.nanoTime();
        queuedUntilNanos = now;
        connectedNanos = now;
        responseNanos = now;
        terminated(Termination.LOCAL, Termination.AT_REQUEST);
    }

    /**
     * An HTTP request's {@code req.*} variables are gone by its log line: HAProxy 2.6 prunes them once
     * the request is analysed, whether a server or a rule answers (a tcp session refused before its
     * server keeps them).
     */
    private void endRequestScope() {
        if (facts != null && request != null) {
            facts.endRequestScope();
        }
    }

    /** What %[sample] reads: the connection and the logged request; null when the format reads neither. */
    dev.sluice.balancer.acl.RequestView view() {
        if (facts != null) {
            facts.request(request);
        }
        return facts;
    }

    /** The client's address as HAProxy writes it; null without one. */
    String clientIpText() {
        if (client == null) {
            return null;
        }
        if (client != clientTextOf) {
            clientText = dev.sluice.balancer.acl.IpAddress.of(client.getAddress()).toString();
            clientTextOf = client;
        }
        return clientText;
    }

    java.net.InetSocketAddress serverAddress() {
        return serverState == null ? null : serverState.address();
    }

    /**
     * The request is held by {@code tarpit}: as HAProxy logs it, TR is then unknown (-1) and the
     * time held counts as Tw, which {@link #tarpitEnded()} closes.
     */
    void tarpitStarted() {
        waitFromNanos = headersNanos == UNSET ? System.nanoTime() : headersNanos;
        headersNanos = UNSET;
    }

    void tarpitEnded() {
        if (waitFromNanos != UNSET) {
            queuedUntilNanos = System.nanoTime();
        }
    }

    /** The name logged as the server: the local answerer's, else HAProxy's {@code <NOSRV>}. */
    String localServer() {
        return localServer == null ? LogLines.NO_SERVER : localServer;
    }

    /** True once a line was written (or skipped by dontlognull) for this connection. */
    public boolean wroteAny() {
        return wroteAny;
    }

    /** True when bytes of a request arrived since the last line. */
    public boolean requestStarted() {
        return startNanos != UNSET;
    }
}
