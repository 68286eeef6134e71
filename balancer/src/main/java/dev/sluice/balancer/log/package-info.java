/**
 * Access logs as HAProxy writes them: the per-request {@link dev.sluice.balancer.log.LogRecord}
 * filled at named phases with {@code System.nanoTime()}, the garbage-free line writers of the
 * default formats (tcplog, httplog, httplog clf), {@code log-format} strings of one's own compiled
 * once ({@link dev.sluice.balancer.log.LineFormat}: {@code %X} variables, {@code %[sample]},
 * {@code %{+Q,+X,+E}} flags, {@code %o}) and rendered per line from the same record, the states of
 * the balancer's own answers ({@link dev.sluice.balancer.log.LocalAnswers}, {@link
 * dev.sluice.balancer.log.HttpTermination}), and the sinks (stdout, stderr, syslog over UDP or a
 * unix datagram socket) reached through asynchronous Log4j 2 loggers.
 *
 * <p>Beyond the line ({@link dev.sluice.balancer.log.LogExtrasPlan}): the request's unique id,
 * rendered once at its first use and sent as {@code unique-id-header}; {@code %rt} from one
 * process-wide counter ({@code RequestCounter}); RFC 5424 structured data carried in front of the
 * line ({@code StructuredData}); connection-level lines ({@code error-log-format}, PROXY header
 * errors: {@link dev.sluice.balancer.log.ConnectionErrorLog}); {@code dontlog-normal} and
 * {@code logasap}; and a backend's own lines ({@link dev.sluice.balancer.log.BackendLog}). None of
 * it costs a request anything when not configured.
 *
 * <p>{@code %[sample]} reads the request as it was when the line is written (after the
 * {@code http-request} rules), through a {@code ConnectionFacts} the record keeps for formats
 * only. HAProxy 2.6 itself refuses request-header fetches in log-format ("not available here");
 * we accept them.
 */
package dev.sluice.balancer.log;
