package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.model.LogFormat;
import java.util.Map;

/**
 * {@code log-format}, understood only where it spells one of HAProxy 2.6's default formats (the
 * lines are written by dedicated writers); any other format is refused until the log-format
 * compiler is merged.
 */
final class LogFormats {
    static final String TCPLOG = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";
    static final String HTTPLOG = "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc "
            + "%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";
    static final String CLF = "%{+Q}o %{-Q}ci - - [%trg] %r %ST %B \"\" \"\" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta "
            + "%tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl";
    private static final Map<String, LogFormat> KNOWN = Map.of(TCPLOG, LogFormat.TCP, HTTPLOG, LogFormat.HTTP,
            CLF, LogFormat.HTTP_CLF);

    private LogFormats() {
    }

    /** The default format {@code text} spells (spaces between fields may vary), else a clear refusal. */
    static LogFormat of(String text) throws ConfigException {
        LogFormat format = KNOWN.get(text.strip().replaceAll("\\s+", " "));
        if (format == null) {
            throw new ConfigException("'log-format': only HAProxy's default formats (those of 'option tcplog', "
                    + "'option httplog' and 'option httplog clf') are supported yet");
        }
        return format;
    }
}
