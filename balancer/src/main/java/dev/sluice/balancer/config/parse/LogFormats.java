package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.model.LogFormat;
import java.util.Map;

/**
 * {@code log-format}: a string that spells one of HAProxy 2.6's default formats is written by the
 * dedicated writers of {@code LogLines}; any other is {@link LogFormat#CUSTOM}, compiled with the
 * section's ACL engine once the whole configuration is read ({@code config.check.Conditions}).
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

    /** The default format {@code text} spells (spaces between fields may vary), else {@link LogFormat#CUSTOM}. */
    static LogFormat of(String text) {
        return KNOWN.getOrDefault(text.strip().replaceAll("\\s+", " "), LogFormat.CUSTOM);
    }
}
