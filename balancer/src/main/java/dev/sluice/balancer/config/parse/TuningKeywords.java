package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Condition;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.config.model.ForwardFor;
import dev.sluice.balancer.config.model.Network;
import dev.sluice.balancer.config.model.ProxyTuning;
import dev.sluice.balancer.runtime.TcpKeepAlive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code monitor-uri}, {@code monitor fail}, {@code errorloc}/{@code errorloc302}/{@code errorloc303},
 * {@code clitcpka-*}/{@code srvtcpka-*} and the options {@code originalto}, {@code tcpka},
 * {@code clitcpka}, {@code srvtcpka} and {@code http-buffer-request}, with HAProxy 2.6's wording.
 */
final class TuningKeywords {

    /** The part of a {@link ProxyDraft} these keywords fill; a proxy starts from a copy of its defaults'. */
    static final class Draft {
        Optional<ForwardFor> originalTo = Optional.empty();
        Optional<String> monitorUri = Optional.empty();
        /** Never inherited: {@code monitor} is not allowed in a defaults section. */
        final List<Condition> monitorFail = new ArrayList<>();
        TcpKeepAlive clientKeepAlive = TcpKeepAlive.OFF;
        TcpKeepAlive serverKeepAlive = TcpKeepAlive.OFF;
        boolean bufferRequest;
        boolean pretendKeepAlive;
        boolean ignoreProbes;
        boolean abortOnClose;
        boolean preferLastServer;
        /** {@code option idle-close-on-response} (OptionKeywords). */
        boolean idleCloseOnResponse;
        /** compression algo|type|offload (see CompressionKeywords); offload is never set in defaults. */
        CompressionKeywords.Draft compression = new CompressionKeywords.Draft();

        Draft() {
        }

        Draft(Draft defaults) {
            originalTo = defaults.originalTo;
            monitorUri = defaults.monitorUri;
            clientKeepAlive = defaults.clientKeepAlive;
            serverKeepAlive = defaults.serverKeepAlive;
            bufferRequest = defaults.bufferRequest;
            pretendKeepAlive = defaults.pretendKeepAlive;
            ignoreProbes = defaults.ignoreProbes;
            abortOnClose = defaults.abortOnClose;
            preferLastServer = defaults.preferLastServer;
            idleCloseOnResponse = defaults.idleCloseOnResponse;
            compression = new CompressionKeywords.Draft(defaults.compression);
        }

        ProxyTuning build() {
            return new ProxyTuning(originalTo, monitorUri, monitorFail, clientKeepAlive, serverKeepAlive,
                    bufferRequest, pretendKeepAlive, ignoreProbes, abortOnClose, compression.build(), preferLastServer,
                    idleCloseOnResponse);
        }
    }

    private TuningKeywords() {
    }

    /** {@code monitor-uri URI}. */
    static void monitorUri(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.size() < 2 || line.word(1).isEmpty()) {
            throw new ConfigException("'monitor-uri' expects an URI.");
        }
        draft.tuning.monitorUri = Optional.of(line.word(1));
    }

    /** {@code monitor fail if|unless COND}; {@code monitor-net} no longer exists in HAProxy 2.6. */
    static void monitor(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.size() < 2 || !line.word(1).equals("fail")) {
            throw new ConfigException("'monitor' expects 'fail'.");
        }
        if (line.size() < 4 || !(line.word(2).equals("if") || line.word(2).equals("unless"))) {
            throw new ConfigException("'monitor fail' requires either 'if' or 'unless' followed by a condition.");
        }
        draft.tuning.monitorFail.add(new Condition(line.location(), line.word(2).equals("unless"), line.from(3)));
    }

    /** {@code errorloc CODE URL} (a 302), {@code errorloc302 CODE URL}, {@code errorloc303 CODE URL}. */
    static void errorloc(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String keyword = line.word(0);
        if (line.size() != 3) {
            throw new ConfigException(keyword + " : expects <status_code> and <url> as arguments.");
        }
        int status;
        try {
            status = Integer.parseInt(line.word(1));
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (!ErrorFiles.CODES.contains(status)) {
            throw new ConfigException(keyword + " : status code '" + line.word(1) + "' not handled.");
        }
        boolean seeOther = keyword.equals("errorloc303");
        String url = line.word(2);
        // HAProxy's exact redirect: no body, no connection header (the reply closes anyway).
        String response = (seeOther ? "HTTP/1.1 303 See Other" : "HTTP/1.1 302 Found") + "\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Content-length: 0\r\n"
                + "Location: " + url + "\r\n\r\n";
        // The errorfile model names a path; an errorloc names its URL there.
        ErrorKeywords.page(draft, new ErrorFile(line.location(), status, Path.of(keyword + " " + url),
                response.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** {@code clitcpka-cnt|idle|intvl} and {@code srvtcpka-cnt|idle|intvl}. */
    static void keepAliveSetting(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        String keyword = line.word(0);
        boolean client = keyword.startsWith("cli");
        TcpKeepAlive current = client ? draft.tuning.clientKeepAlive : draft.tuning.serverKeepAlive;
        TcpKeepAlive next;
        if (keyword.endsWith("-cnt")) {
            next = current.withCount(Units.integer(line.word(1), "'" + keyword + "'", 1, TcpKeepAlive.MAX_COUNT));
        } else {
            int seconds = seconds(line.word(1), keyword);
            next = keyword.endsWith("-idle") ? current.withIdleSeconds(seconds) : current.withIntervalSeconds(seconds);
        }
        if (client) {
            draft.tuning.clientKeepAlive = next;
        } else {
            draft.tuning.serverKeepAlive = next;
        }
    }

    /** A keep-alive time: seconds by default (HAProxy reads it in seconds), rounded up to whole seconds. */
    private static int seconds(String text, String keyword) throws ConfigException {
        long seconds;
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            seconds = Units.integer(text, "'" + keyword + "'", 0, TcpKeepAlive.MAX_SECONDS);
        } else {
            Duration time = Units.time(text);
            seconds = (time.toMillis() + 999) / 1000;
        }
        if (seconds < 1 || seconds > TcpKeepAlive.MAX_SECONDS) {
            throw new ConfigException("'" + keyword + "' expects a time between 1s and " + TcpKeepAlive.MAX_SECONDS
                    + "s (got '" + text + "')");
        }
        return (int) seconds;
    }

    /** {@code option originalto [except NET] [header NAME]}, in any order. */
    static void originalTo(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        Optional<Network> except = Optional.empty();
        String header = dev.sluice.balancer.runtime.ProxyTuning.ORIGINAL_TO_HEADER;
        for (int i = 2; i < line.size(); i++) {
            switch (line.word(i)) {
                case "except" -> {
                    if (i + 1 >= line.size()) {
                        throw new ConfigException("'option originalto except' expects <address>[/mask] as argument");
                    }
                    except = Optional.of(Addresses.network(line.word(++i), "option originalto except"));
                }
                case "header" -> {
                    if (i + 1 >= line.size() || line.word(i + 1).isEmpty()) {
                        throw new ConfigException("'option originalto header' expects <header_name> as argument");
                    }
                    header = line.word(++i);
                    if (!header.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                        throw new ConfigException("'option originalto header': '" + header
                                + "' is not a valid header name");
                    }
                }
                default -> throw new ConfigException("'option originalto' only supports optional values: 'except' "
                        + "and 'header' (got '" + line.word(i) + "')");
            }
        }
        draft.tuning.originalTo = Optional.of(new ForwardFor(except, header, false));
    }

    /** {@code [no] option tcpka|clitcpka|srvtcpka}; tcpka is both sides. */
    static void keepAlive(Line line, ProxyDraft draft, boolean on) throws ConfigException {
        String name = line.word(0).equals("no") ? line.word(2) : line.word(1);
        if (!line.word(0).equals("no") && line.size() > 2) {
            throw new ConfigException("'option " + name + "' cannot handle unexpected argument '" + line.word(2) + "'");
        }
        if (!name.equals("srvtcpka")) {
            draft.tuning.clientKeepAlive = draft.tuning.clientKeepAlive.withEnabled(on);
        }
        if (!name.equals("clitcpka")) {
            draft.tuning.serverKeepAlive = draft.tuning.serverKeepAlive.withEnabled(on);
        }
    }

    /** {@code [no] option http-buffer-request}. */
    static void bufferRequest(Line line, ProxyDraft draft, boolean on) throws ConfigException {
        noArgument(line);
        draft.tuning.bufferRequest = on;
    }

    /** {@code [no] option http-ignore-probes}. */
    static void ignoreProbes(Line line, ProxyDraft draft, boolean on) throws ConfigException {
        noArgument(line);
        draft.tuning.ignoreProbes = on;
    }

    /** {@code [no] option http-pretend-keepalive}. */
    static void pretendKeepAlive(Line line, ProxyDraft draft, boolean on) throws ConfigException {
        noArgument(line);
        draft.tuning.pretendKeepAlive = on;
    }

    /**
     * {@code [no] option http-no-delay}: accepted with nothing to change. HAProxy uses it to stop
     * merging small writes (MSG_MORE); here every socket has TCP_NODELAY and each message is
     * flushed as soon as it is complete, which is what the option asks for.
     */
    static void httpNoDelay(Line line, ProxyDraft draft, boolean on) throws ConfigException {
        noArgument(line);
    }

    /** Options that only change how HAProxy moves bytes through the kernel, not what a peer sees. */
    static final java.util.List<String> TCP_HINTS = java.util.List.of("splice-auto", "splice-request",
            "splice-response", "tcp-smart-accept", "tcp-smart-connect");

    /**
     * {@code [no] option splice-*|tcp-smart-*}: kernel splicing and saving one ACK at accept or
     * connect change no byte a client or server sees, only HAProxy's own work. They are accepted so
     * that configs carrying them load, with a notice at their line saying they are not applied:
     * the balancer relays through the same pooled buffers both ways, and leaves ACKs to the kernel
     * (a bind's {@code defer-accept} is the explicit form of tcp-smart-accept).
     */
    static void tcpHint(Line line, Diagnostics diagnostics) throws ConfigException {
        noArgument(line);
        String option = line.word(0).equals("no") ? line.word(2) : line.word(1);
        diagnostics.notice(line.location(), "'option " + option + "' accepted but not applied: it only tunes "
                + "how HAProxy moves bytes through the kernel; sluice-balancer relays through pooled buffers"
                + (option.equals("tcp-smart-accept") ? " (use 'bind ... defer-accept' to defer accepts)" : ""));
    }

    /**
     * {@code option abortonclose}: a client that half-closes before its request got an answer drops
     * it (HTTP mode; HttpExchangeHandler); {@code no option abortonclose}, HAProxy's default, answers
     * it anyway. Mode tcp, which relays half-closed clients, refuses the option (see the semantic check).
     */
    static void abortOnClose(Line line, ProxyDraft draft, boolean on) throws ConfigException {
        noArgument(line);
        draft.tuning.abortOnClose = on;
    }

    private static void noArgument(Line line) throws ConfigException {
        if (!line.word(0).equals("no") && line.size() > 2) {
            throw new ConfigException("'option " + line.word(1) + "' cannot handle unexpected argument '"
                    + line.word(2) + "'");
        }
    }
}
