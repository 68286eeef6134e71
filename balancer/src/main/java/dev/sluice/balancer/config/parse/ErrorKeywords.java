package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.ErrorDirective;
import dev.sluice.balancer.config.model.ErrorFile;
import dev.sluice.balancer.format.AliasTable;
import dev.sluice.balancer.format.FormatCompiler;
import dev.sluice.balancer.rules.Reply;
import dev.sluice.balancer.rules.RuleEnvironment;
import dev.sluice.balancer.rules.RuleException;
import dev.sluice.balancer.rules.RuleParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code errorfiles NAME [CODE…]} and {@code http-error status CODE …}, and the resolution of a
 * proxy's error directives (with {@code errorfile} and {@code errorloc*}) once every
 * {@code http-errors} section is known: written order, defaults first, the last one for a status
 * wins; {@code default-errorfiles} brings back the built-in page.
 */
final class ErrorKeywords {

    /** The options of {@code http-error} that name an errorfile rather than make a reply. */
    private static final Set<String> ERRORFILE_FORMS = Set.of("errorfile", "errorfiles", "default-errorfiles");

    private ErrorKeywords() {
    }

    /** An {@code errorfile} or {@code errorloc*} page of the proxy. */
    static void page(ProxyDraft draft, ErrorFile file) {
        draft.errorFiles.put(file.status(), file);
        draft.errorDirectives.add(new ErrorDirective.Page(file));
    }

    /** {@code errorfiles NAME [CODE…]}. */
    static void errorfiles(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        if (line.size() < 2 || line.word(1).isEmpty()) {
            throw new ConfigException("errorfiles : expects <name> as argument.");
        }
        List<Integer> codes = new ArrayList<>();
        for (int i = 2; i < line.size(); i++) {
            codes.add(code(line.word(i), "errorfiles"));
        }
        draft.errorDirectives.add(new ErrorDirective.Import(line.location(), line.word(1), codes));
    }

    /** {@code http-error status CODE [content-type T] [BODY] [hdr NAME FMT]…}. */
    static void httpError(Line line, ProxyDraft draft, Diagnostics diagnostics) throws ConfigException {
        List<String> words = line.from(1);
        int statusAt = words.indexOf("status");
        if (statusAt < 0 || statusAt + 1 >= words.size()) {
            throw new ConfigException("http-error : expects at least a <status> as arguments.");
        }
        int status = code(words.get(statusAt + 1), "http-error");
        String form = words.stream().filter(ERRORFILE_FORMS::contains).findFirst().orElse(null);
        if (form == null) {
            try {
                Reply reply = replyParser(draft).errorReply("http-error", words);
                draft.errorDirectives.add(new ErrorDirective.Made(line.location(), reply));
            } catch (RuleException e) {
                throw new ConfigException(e.getMessage());
            } catch (RuntimeException e) {
                throw new ConfigException("http-error : " + e.getMessage());
            }
            return;
        }
        int at = words.indexOf(form);
        boolean named = !form.equals("default-errorfiles");
        if (named && at + 1 >= words.size()) {
            throw new ConfigException("http-error : '" + form + "' expects <" + (form.equals("errorfile") ? "file"
                    : "name") + "> as argument.");
        }
        int used = named ? 2 : 1;
        for (int i = 0; i < words.size(); i++) {
            boolean known = i == statusAt || i == statusAt + 1 || i >= at && i < at + used;
            if (known) {
                continue;
            }
            String option = words.get(i);
            if (option.equals("content-type") || option.equals("hdr")) {
                // HAProxy warns and drops them: an errorfile is sent as it is.
                diagnostics.warning(line.location(), "http-error : '" + option + "' ignored by the http reply when "
                        + "used with an errorfile.");
                i += option.equals("hdr") ? 2 : 1;
                continue;
            }
            throw new ConfigException("http-error : unknown keyword '" + option + "'.");
        }
        switch (form) {
            case "errorfile" -> draft.errorDirectives.add(new ErrorDirective.Page(
                    ErrorFiles.read(line.location(), Integer.toString(status), words.get(at + 1),
                            draft.baseDirectory)));
            case "errorfiles" -> draft.errorDirectives.add(
                    new ErrorDirective.Import(line.location(), words.get(at + 1), List.of(status)));
            default -> draft.errorDirectives.add(new ErrorDirective.BuiltIn(line.location(), status));
        }
    }

    private static int code(String text, String keyword) throws ConfigException {
        int status;
        try {
            status = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (!ErrorFiles.CODES.contains(status)) {
            throw new ConfigException(keyword + " : status code '" + text + "' not handled.");
        }
        return status;
    }

    /** Parses the reply options with the section's fetches (no ACLs: an http-error has no condition). */
    private static RuleParser replyParser(ProxyDraft draft) {
        Path base = draft.baseDirectory;
        AclCompiler acls = new AclCompiler(base, ProxyCatalog.ANY);
        String proxy = draft.name == null ? "defaults" : draft.name;
        var samples = (java.util.function.Function<String, dev.sluice.balancer.acl.SampleExpression>)
                text -> acls.sampleExpression(text, proxy);
        return new RuleParser(new RuleEnvironment(base, FormatCompiler.forValues(AliasTable.STANDARD, samples),
                samples, (unless, words) -> {
                    throw new RuleException("http-error takes no condition");
                }));
    }

    /**
     * Applies {@code draft}'s directives in order into its final static pages ({@code errorFiles})
     * and per-request replies ({@code errorReplies}); an unknown section is an alert at its line.
     */
    static void resolve(ProxyDraft draft, HttpErrorsSections sections, Diagnostics diagnostics) {
        Map<Integer, ErrorFile> pages = new TreeMap<>();
        Map<Integer, Reply> replies = new HashMap<>();
        for (ErrorDirective directive : draft.errorDirectives) {
            switch (directive) {
                case ErrorDirective.Page page -> {
                    pages.put(page.file().status(), page.file());
                    replies.remove(page.file().status());
                }
                case ErrorDirective.BuiltIn builtIn -> {
                    pages.remove(builtIn.status());
                    replies.remove(builtIn.status());
                }
                case ErrorDirective.Made made -> {
                    pages.remove(made.reply().status());
                    replies.put(made.reply().status(), made.reply());
                }
                case ErrorDirective.Import use -> {
                    HttpErrorsSections.Section section = sections.get(use.section());
                    if (section == null) {
                        diagnostics.alert(use.location(), draft.describe() + ": unknown http-errors section '"
                                + use.section() + "'.");
                        continue;
                    }
                    for (ErrorFile file : section.pages().values()) {
                        if (use.codes().isEmpty() || use.codes().contains(file.status())) {
                            pages.put(file.status(), file);
                            replies.remove(file.status());
                        }
                    }
                    for (int code : use.codes()) {
                        if (!section.pages().containsKey(code)) {
                            diagnostics.warning(use.location(), draft.describe() + ": status '" + code
                                    + "' not declared in http-errors section '" + use.section() + "'.");
                        }
                    }
                }
            }
        }
        draft.errorFiles.clear();
        draft.errorFiles.putAll(pages);
        draft.errorReplies = Map.copyOf(replies);
    }
}
