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

    private static final class Scratch {
        final StringBuilder line = new StringBuilder(LINE_CAPACITY);
        final Dates dates = new Dates(ZoneId.systemDefault());
        final LineInputs inputs = new LineInputs(dates);
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
        this.logger = plan.enabled() ? register(plan) : null;
    }

    public AccessLogPlan plan() {
        return plan;
    }

    public boolean enabled() {
        return logger != null;
    }

    /** A record for one client connection, or null when this frontend does not log. */
    public LogRecord newRecord() {
        return logger == null ? null : new LogRecord(this);
    }

    void write(LogRecord record, long endNanos) {
        Scratch scratch = SCRATCH.get();
        StringBuilder line = scratch.line;
        line.setLength(0);
        int actconn = record.actconn;
        int feconn = record.feconn;
        switch (plan.style()) {
            case TCP -> LogLines.tcp(line, scratch.dates, record, frontend, actconn, feconn, endNanos);
            case HTTP -> LogLines.http(line, scratch.dates, record, frontend, actconn, feconn, endNanos);
            case HTTP_CLF -> LogLines.clf(line, scratch.dates, record, frontend, actconn, feconn, endNanos);
            case CUSTOM -> {
                LineInputs inputs = scratch.inputs;
                inputs.frontend = frontend;
                inputs.endNanos = endNanos;
                // A shared counter is touched only by formats that show it.
                inputs.lineNumber = plan.format().countsLines() ? lines.getAndIncrement() : -1;
                plan.format().render(line, record, inputs);
            }
            case NONE -> {
                return;
            }
        }
        logger.log(plan.separateErrors() && record.failed() ? Level.ERROR : Level.INFO, line);
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

    private static synchronized Logger register(AccessLogPlan plan) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        String name = LOGGER_PREFIX + LOGGERS.incrementAndGet();
        LoggerConfig loggerConfig = LoggerConfig.newBuilder().withLoggerName(name).withLevel(Level.INFO)
                .withAdditivity(false).withConfig(config).build();
        for (LogSink sink : plan.sinks()) {
            String key = sink + "/" + plan.tag();
            SinkAppender appender = APPENDERS.computeIfAbsent(key, k -> {
                SinkAppender created = new SinkAppender("access-" + (APPENDERS.size() + 1), sink, plan.tag());
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
