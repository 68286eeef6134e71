package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.ErrorFile;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code http-errors NAME} sections: each holds {@code errorfile CODE FILE} lines that
 * proxies take with {@code errorfiles NAME [CODE…]} or {@code http-error … errorfiles NAME}. A
 * second section of the same name is refused, as in HAProxy 2.6; within a section a later
 * {@code errorfile} for a status replaces the earlier one.
 */
final class HttpErrorsSections {

    /** One section: where it starts and its pages by status. */
    record Section(SourceLocation location, Map<Integer, ErrorFile> pages) {
    }

    private final Map<String, Section> sections = new HashMap<>();
    private Section current;

    /** {@code http-errors NAME}: the lines that follow belong to it (or to nothing when refused). */
    void open(Line line) throws ConfigException {
        current = null;
        if (line.size() < 2 || line.word(1).isEmpty()) {
            throw new ConfigException("missing name for http-errors section.");
        }
        if (line.size() > 2) {
            throw new ConfigException("'http-errors' cannot handle unexpected argument '" + line.word(2) + "'");
        }
        String name = line.word(1);
        Names.check(name, "'http-errors' name");
        Section previous = sections.get(name);
        if (previous != null) {
            throw new ConfigException("http-errors section '" + name + "' already exists (declared at "
                    + previous.location() + ").");
        }
        current = new Section(line.location(), new TreeMap<>());
        sections.put(name, current);
    }

    /** A line inside the section: only {@code errorfile CODE FILE}. */
    void apply(Line line) throws ConfigException {
        apply(line, java.nio.file.Path.of("").toAbsolutePath());
    }

    /** @param base where a relative file name resolves ({@code default-path}) */
    void apply(Line line, java.nio.file.Path base) throws ConfigException {
        if (!line.keyword().equals("errorfile")) {
            throw new ConfigException("unknown keyword '" + line.keyword() + "' in 'http-errors' section "
                    + "(expected: errorfile)");
        }
        if (line.size() != 3) {
            throw new ConfigException("errorfile: expects <status_code> and <file> as arguments.");
        }
        ErrorFile file = ErrorFiles.read(line.location(), line.word(1), line.word(2), base);
        if (current != null) {
            current.pages().put(file.status(), file);
        }
    }

    /** The section named {@code name}, or null. */
    Section get(String name) {
        return sections.get(name);
    }
}
