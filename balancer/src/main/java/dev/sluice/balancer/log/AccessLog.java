package dev.sluice.balancer.log;

import dev.sluice.balancer.front.ConnectionLimit;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.MarkerManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * One frontend's access log at run time: makes the per-connection {@link LogRecord}s and writes
 * their lines. A line is built on the event loop into a reused per-thread buffer and handed to an
 * asynchronous Log4j 2 logger (see log4j2.component.properties: LMAX Disruptor, garbage-free),
 * whose appenders, one per {@code log} target, send it. With logging off, {@link #newRecord()}
 * returns null and the handlers do nothing else.
 */
public final class AccessLog {
    /** The access log of a frontend without {@code log} targets or log format. */
    public static final AccessLog OFF = new AccessLog(AccessLogPlan.NONE, "", null, null);
    private static final String LOGGER_PREFIX = "dev.sluice.balancer.access.";
    /** Appenders are shared by every logger that writes to the same target, across reloads. */
    private static final Map<String, SinkAppender> APPENDERS = new HashMap<>();
    private static final AtomicInteger LOGGERS = new AtomicInteger();
    private static final int LINE_CAPACITY = 1_024;
    /**
     * HAProxy keeps a unique id in a buffer of 128 bytes with its terminating zero ({@code
     * UNIQUEID_LEN}): longer ids are cut there.
     */
    static final int UNIQUE_ID_MAX = 127;
    /** Marks a line that starts with structured data (see {@link StructuredData}). */
    static final Marker STRUCTURED = MarkerManager.getMarker("sluice-structured-data");

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private final AccessLogPlan plan;
    private final String frontend;
    private final ConnectionLimit global;
    private final ConnectionLimit front;
    private final Logger logger;
    /** What a log-format's samples read about backends and tables; null when the plan has no format. */
    private final dev.sluice.balancer.acl.StateView state;
    /** Lines written so far (%lc), counted only for a log-format. */
    private final java.util.concurrent.atomic.AtomicLong lines = new java.util.concurrent.atomic.AtomicLong();
    /** Whether the frontend speaks HTTP (its lines then have a status, and unparsed requests are connection errors). */
    private final boolean http;
    private final boolean countsRequests;

    private static final class Scratch {
        final StringBuilder line = new StringBuilder(LINE_CAPACITY);
        final Dates dates = new Dates(ZoneId.systemDefault());
        final LineInputs inputs = new LineInputs(dates);
        final StringBuilder uniqueId = new StringBuilder(UNIQUE_ID_MAX + 1);
    }

    /**
     * @param global the process's connection count (%ac)
     * @param front  the frontend's connection count (%fc)
     */
    public AccessLog(AccessLogPlan plan, String frontend, ConnectionLimit global, ConnectionLimit front) {
        this(plan, frontend, global, front, null);
    }

    /** @param state the engine's live figures, which a log-format's {@code %[sample]} may read */
    public AccessLog(AccessLogPlan plan, String frontend, ConnectionLimit global, ConnectionLimit front,
                     dev.sluice.balancer.acl.StateView state) {
        this.state = state;
        this.plan = plan;
        this.frontend = frontend;
        this.global = global;
        this.front = front;
        this.logger = plan.enabled() ? register(plan.sinks(), plan.tag()) : null;
        this.http = plan.style() == LogStyle.HTTP || plan.style() == LogStyle.HTTP_CLF
                || (plan.format() != null && plan.format().httpMode());
        this.countsRequests = (plan.format() != null && plan.format().countsRequests()) || plan.extras().countsRequests();
    }

    public AccessLogPlan plan() {
        return plan;
    }

    public boolean enabled() {
        return logger != null;
    }

    /**
     * A record for one client connection, or null when this frontend neither logs nor makes unique
     * ids (a record without a logger only carries the id).
     */
    public LogRecord newRecord() {
        return logger == null && plan.extras().uniqueId() == null ? null : new LogRecord(this);
    }

    /**
     * Writes the line of {@code record}, unless {@code option dontlog-normal} leaves it out. A
     * connection-level line (HTTP without a parsed request: HAProxy logs those for the session, not
     * a stream) takes {@code error-log-format} when set, no unique id, a fresh %rt per format it
     * renders, and is always an error. Structured data comes first (see {@link StructuredData}).
     */
    void write(LogRecord record, long endNanos) {
        boolean connectionLevel = record.connectionLevel(http);
        boolean error = connectionLevel || record.failed(http);
        if (!error && plan.extras().dontLogNormal() || record.severity == LogRecord.SILENT) {
            return;
        }
        if (!connectionLevel) {
            record.uniqueId(); // HAProxy makes it before the line when nothing asked for it earlier
        }
        Scratch scratch = SCRATCH.get();
        StringBuilder line = scratch.line;
        line.setLength(0);
        LineInputs inputs = scratch.inputs;
        inputs.frontend = frontend;
        inputs.endNanos = endNanos;
        inputs.logAsap = plan.extras().logAsap();
        Marker marker = null;
        LineFormat structured = plan.extras().structuredData();
        if (structured != null) {
            int start = StructuredData.open(line);
            render(structured, line, record, inputs, connectionLevel);
            StructuredData.close(line, start);
            marker = STRUCTURED;
        }
        LineFormat errorFormat = connectionLevel ? plan.extras().errorFormat() : null;
        int actconn = record.actconn;
        int feconn = record.feconn;
        if (errorFormat != null) {
            render(errorFormat, line, record, inputs, true);
        } else {
            switch (plan.style()) {
                case TCP -> LogLines.tcp(line, scratch.dates, record, frontend, actconn, feconn, endNanos);
                case HTTP -> LogLines.http(line, scratch.dates, record, frontend, actconn, feconn, endNanos);
                case HTTP_CLF -> LogLines.clf(line, scratch.dates, record, frontend, actconn, feconn, endNanos);
                case CUSTOM -> render(plan.format(), line, record, inputs, connectionLevel);
                case NONE -> {
                    return;
                }
            }
        }
        Level level = record.severity >= 0 ? SyslogLevels.level(record.severity)
                : plan.separateErrors() && error ? Level.ERROR : Level.INFO;
        logger.log(level, marker, line);
    }

    private void render(LineFormat format, StringBuilder line, LogRecord record, LineInputs inputs,
                        boolean connectionLevel) {
        // Shared counters are touched only by formats that show them. HAProxy numbers a
        // connection-level line afresh each time it builds one (structured data, then the line).
        inputs.lineNumber = format.countsLines() ? lines.getAndIncrement() : -1;
        inputs.requestNumber = !countsRequests ? -1 : connectionLevel ? RequestCounter.next() : record.requestNumber();
        format.render(line, record, inputs);
    }

    /** HAProxy's short line of a connection error without {@code error-log-format} (see {@link ConnectionErrorLog}). */
    void writeShort(java.net.InetSocketAddress client, long acceptMillis, String frontendName, String bind,
                    String message) {
        Scratch scratch = SCRATCH.get();
        StringBuilder line = scratch.line;
        line.setLength(0);
        if (client == null) {
            line.append("unknown [");
        } else {
            line.append(dev.sluice.balancer.acl.IpAddress.of(client.getAddress())).append(':').append(client.getPort())
                    .append(" [");
        }
        scratch.dates.appendLogDate(line, acceptMillis);
        line.append("] ").append(frontendName).append('/').append(bind).append(": ").append(message);
        logger.log(ConnectionErrorLog.level(plan), line);
    }

    /** The request's unique id, rendered with {@code unique-id-format} at the moment it is first needed. */
    String renderUniqueId(LogRecord record) {
        Scratch scratch = SCRATCH.get();
        StringBuilder id = scratch.uniqueId;
        id.setLength(0);
        LineInputs inputs = scratch.inputs;
        inputs.frontend = frontend;
        inputs.endNanos = System.nanoTime();
        inputs.logAsap = false;
        inputs.lineNumber = -1;
        inputs.requestNumber = countsRequests ? record.requestNumber() : -1;
        plan.extras().uniqueId().render(id, record, inputs);
        if (id.length() > UNIQUE_ID_MAX) {
            id.setLength(UNIQUE_ID_MAX);
        }
        return id.toString();
    }

    boolean http() {
        return http;
    }

    dev.sluice.balancer.acl.StateView state() {
        return state;
    }

    int actconn() {
        return global == null ? 0 : global.current();
    }

    int feconn() {
        return front == null ? 0 : front.current();
    }

    /** A logger whose lines go to every sink (appenders shared by every logger of the same target). */
    static synchronized Logger register(java.util.List<LogSink> sinks, String tag) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        String name = LOGGER_PREFIX + LOGGERS.incrementAndGet();
        LoggerConfig loggerConfig = LoggerConfig.newBuilder().withLoggerName(name).withLevel(Level.INFO)
                .withAdditivity(false).withConfig(config).build();
        for (LogSink sink : sinks) {
            String key = sink + "/" + tag;
            SinkAppender appender = APPENDERS.computeIfAbsent(key, k -> {
                SinkAppender created = new SinkAppender("access-" + (APPENDERS.size() + 1), sink, tag);
                created.start();
                config.addAppender(created);
                return created;
            });
            loggerConfig.addAppender(appender, Level.INFO, null);
        }
        config.addLogger(name, loggerConfig);
        context.updateLoggers();
        return context.getLogger(name);
    }
}
