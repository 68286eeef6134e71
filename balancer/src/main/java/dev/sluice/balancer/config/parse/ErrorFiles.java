package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.ErrorFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code errorfile CODE FILE}: the file is read once at load time and must hold a complete HTTP/1.x
 * response head (or nothing, which HAProxy accepts as "send no response"). Paths are relative to
 * the working directory, as in HAProxy.
 */
final class ErrorFiles {

    /** The status codes HAProxy 2.6 can produce and therefore lets an errorfile replace. */
    static final Set<Integer> CODES = Set.of(200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 425, 429, 500, 501,
            502, 503, 504);

    /** An errorfile must fit a buffer; the semantic pass compares with the configured tune.bufsize. */
    static final long MAX_READ_BYTES = 1L << 20;

    private ErrorFiles() {
    }

    static ErrorFile read(SourceLocation location, String code, String file) throws ConfigException {
        return read(location, code, file, Path.of("").toAbsolutePath());
    }

    /** @param base where a relative {@code file} resolves ({@code default-path}) */
    static ErrorFile read(SourceLocation location, String code, String file, Path base) throws ConfigException {
        int status;
        try {
            status = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (!CODES.contains(status)) {
            throw new ConfigException("errorfile: status code '" + code + "' not handled (expected one of "
                    + new java.util.TreeSet<>(CODES) + ")");
        }
        Path path = base.resolve(file);
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_READ_BYTES) {
                throw new ConfigException("errorfile: '" + file + "' is larger than " + MAX_READ_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigException("errorfile: error opening file '" + file + "' (" + e.getClass().getSimpleName()
                    + ")");
        }
        validate(bytes, file);
        return new ErrorFile(location, status, path, bytes);
    }

    private static void validate(byte[] bytes, String file) throws ConfigException {
        if (bytes.length == 0) {
            return;
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\n\r\n");
        int endLf = text.indexOf("\n\n");
        if (end < 0 && endLf < 0) {
            throw new ConfigException("errorfile: '" + file + "': the response head has no end (expected an empty "
                    + "line after the headers)");
        }
        int headEnd = end < 0 ? endLf : endLf < 0 ? end : Math.min(end, endLf);
        String[] lines = text.substring(0, headEnd).replace("\r", "").split("\n");
        if (!lines[0].matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?")) {
            throw new ConfigException("errorfile: '" + file + "': invalid status line '" + lines[0]
                    + "' (expected: HTTP/1.x CODE REASON)");
        }
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*")) {
                throw new ConfigException("errorfile: '" + file + "': invalid header line " + (i + 1) + " '"
                        + lines[i] + "'");
            }
        }
    }
}
