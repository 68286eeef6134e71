package dev.sluice.balancer.log;

import dev.sluice.common.os.UnixDatagrams;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * Writes access lines to one {@link LogSink}, on Log4j's asynchronous logging thread: the header
 * HAProxy writes for the sink's format ({@code <134>Nov 24 13:00:00 haproxy[PID]: } for RFC 3164),
 * the line, cut at {@code len}, then a newline for stdout/stderr. Buffers are reused: nothing is
 * allocated per line on the UDP and stdout paths.
 */
final class SinkAppender extends AbstractAppender {
    private final LogSink sink;
    private final String tag;
    private final long pid = ProcessHandle.current().pid();
    private final Dates dates = new Dates(ZoneId.systemDefault());
    private final StringBuilder text = new StringBuilder(1_024);
    /** A message that is not a CharSequence already, formatted once here. */
    private final StringBuilder formatted = new StringBuilder(1_024);
    private final ByteBuffer bytes;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final CharBuffer chars;
    private WritableByteChannel stream;
    private DatagramChannel udp;

    SinkAppender(String name, LogSink sink, String tag) {
        super(name, null, null, true, Property.EMPTY_ARRAY);
        this.sink = sink;
        this.tag = tag;
        this.chars = CharBuffer.allocate(sink.maxLength() + 1);
        this.bytes = ByteBuffer.allocate(sink.maxLength() * 4 + 1);
    }

    @Override
    public void start() {
        try {
            switch (sink.kind()) {
                case STDOUT -> stream = new FileOutputStream(FileDescriptor.out).getChannel();
                case STDERR -> stream = new FileOutputStream(FileDescriptor.err).getChannel();
                case UDP -> udp = DatagramChannel.open();
                case UNIX -> { }
            }
        } catch (IOException e) {
            error("cannot open the log target " + sink + ": " + e.getMessage());
        }
        super.start();
    }

    @Override
    public void append(LogEvent event) {
        text.setLength(0);
        int level = SyslogLevels.severity(event.getLevel());
        if (level > sink.level()) {
            return;
        }
        header(text, sink.facility() * 8 + level, event.getTimeMillis());
        CharSequence body = body(event.getMessage());
        int from = 0;
        int structured = -1;
        if (event.getMarker() == AccessLog.STRUCTURED && body.length() >= StructuredData.dataStart()) {
            structured = StructuredData.length(body);
            from = StructuredData.dataStart() + structured;
        }
        if (sink.format() == SinkFormat.RFC5424) {
            // The SD field: the line's structured data, else the nil value.
            if (structured > 0) {
                text.append(body, StructuredData.dataStart(), from);
            } else {
                text.append('-');
            }
            text.append(' ');
        }
        text.append(body, from, body.length());
        if (text.length() > sink.maxLength()) {
            text.setLength(sink.maxLength());
        }
        text.append('\n');
        encode();
        try {
            switch (sink.kind()) {
                case STDOUT, STDERR -> {
                    while (bytes.hasRemaining()) {
                        stream.write(bytes);
                    }
                }
                case UDP -> udp.send(bytes, sink.address());
                case UNIX -> UnixDatagrams.send(((UnixDomainSocketAddress) sink.address()).getPath().toString(), bytes);
            }
        } catch (IOException e) {
            // As HAProxy: a log server that is away costs lines, never traffic.
            error("cannot send a log line to " + sink + ": " + e.getMessage());
        }
    }

    private CharSequence body(Message message) {
        if (message instanceof CharSequence line) {
            return line;
        }
        formatted.setLength(0);
        if (message instanceof StringBuilderFormattable formattable) {
            formattable.formatTo(formatted);
        } else {
            formatted.append(message.getFormattedMessage());
        }
        return formatted;
    }

    private void header(StringBuilder out, int priority, long millis) {
        switch (sink.format()) {
            case RAW -> { }
            case PRIORITY -> out.append('<').append(priority).append('>');
            case SHORT -> out.append('<').append(priority).append('>');
            case TIMED -> {
                out.append('<').append(priority).append('>');
                dates.appendSyslogDate(out, millis);
                out.append(' ');
            }
            case ISO -> {
                dates.appendIsoDate(out, millis);
                out.append(' ');
            }
            case RFC5424 -> {
                out.append('<').append(priority).append(">1 ");
                dates.appendIsoDate(out, millis);
                // log-send-hostname fills the HOSTNAME field, else the nil value.
                out.append(' ').append(sink.hostname() == null ? "-" : sink.hostname()).append(' ').append(tag)
                        .append(' ').append(pid).append(" - ");
            }
            case RFC3164, LOCAL -> {
                out.append('<').append(priority).append('>');
                dates.appendSyslogDate(out, millis);
                out.append(' ');
                // log-send-hostname: RFC 3164's HOSTNAME field; the local format never has one.
                if (sink.hostname() != null && sink.format() == SinkFormat.RFC3164) {
                    out.append(sink.hostname()).append(' ');
                }
                out.append(tag).append('[').append(pid).append("]: ");
            }
        }
    }

    private void encode() {
        chars.clear();
        int length = Math.min(text.length(), chars.capacity());
        for (int i = 0; i < length; i++) {
            chars.put(text.charAt(i));
        }
        chars.flip();
        bytes.clear();
        encoder.reset();
        encoder.encode(chars, bytes, true);
        encoder.flush(bytes);
        bytes.flip();
    }

    @Override
    public boolean stop(long timeout, java.util.concurrent.TimeUnit unit) {
        try {
            if (udp != null) {
                udp.close();
            }
        } catch (IOException e) {
            error("closing " + sink + ": " + e.getMessage());
        }
        return super.stop(timeout, unit);
    }
}
