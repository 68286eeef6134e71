/**
 * Access logs as HAProxy writes them: the per-request {@link dev.sluice.balancer.log.LogRecord}
 * filled at named phases with {@code System.nanoTime()}, the garbage-free line writers of the
 * default formats (tcplog, httplog, httplog clf), and the sinks (stdout, stderr, syslog over UDP
 * or a unix datagram socket) reached through asynchronous Log4j 2 loggers.
 */
package dev.sluice.balancer.log;
