package dev.sluice.balancer.config;

import dev.sluice.balancer.config.check.Conditions;
import dev.sluice.balancer.config.check.SemanticCheck;
import dev.sluice.balancer.config.lex.Environment;
import dev.sluice.balancer.config.lex.Lexer;
import dev.sluice.balancer.config.model.Config;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.parse.Parser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads HAProxy-syntax configuration: every {@code -f} file, or every {@code *.cfg} file of a
 * {@code -f} directory in lexical order, read as one configuration; then lexing, parsing and the
 * semantic pass. Nothing here starts or binds anything.
 */
public final class ConfigLoader {

    /** The file suffix HAProxy loads from a configuration directory. */
    public static final String DIRECTORY_SUFFIX = ".cfg";

    private ConfigLoader() {
    }

    /** Loads {@code paths} with the process environment for {@code "${VAR}"} expansion. */
    public static LoadResult load(List<Path> paths) {
        return load(paths, System.getenv());
    }

    public static LoadResult load(List<Path> paths, Map<String, String> environment) {
        return load(paths, environment, null);
    }

    /**
     * Loads {@code paths}; {@code localPeer} is the name this process has in {@code peers} sections
     * ({@code -L}), or null for the global {@code localpeer}, else the host name.
     */
    public static LoadResult load(List<Path> paths, Map<String, String> environment, String localPeer) {
        Diagnostics diagnostics = new Diagnostics();
        if (paths.isEmpty()) {
            diagnostics.alert(null, "no configuration file given (use -f FILE or -f DIRECTORY)");
            return new LoadResult(Optional.empty(), diagnostics.list());
        }
        Environment variables = new Environment(environment);
        Lexer lexer = new Lexer(variables);
        Parser parser = new Parser(diagnostics, variables);
        for (Path file : expand(paths, diagnostics)) {
            String text = read(file, diagnostics);
            if (text != null) {
                parser.startFile();
                lexer.lex(file.toString(), text, diagnostics, parser::parse);
            }
        }
        return finish(parser, diagnostics, localPeer);
    }

    /** Loads one configuration held in memory, named {@code name} in messages (for tests and tools). */
    public static LoadResult parse(String name, String text, Map<String, String> environment) {
        return parse(name, text, environment, null);
    }

    /** {@link #parse(String, String, Map)} as the peer named {@code localPeer} (null: see {@link #load}). */
    public static LoadResult parse(String name, String text, Map<String, String> environment, String localPeer) {
        Diagnostics diagnostics = new Diagnostics();
        Environment variables = new Environment(environment);
        Parser parser = new Parser(diagnostics, variables);
        parser.startFile();
        new Lexer(variables).lex(name, text, diagnostics, parser::parse);
        return finish(parser, diagnostics, localPeer);
    }

    private static LoadResult finish(Parser parser, Diagnostics diagnostics, String localPeer) {
        Global global = parser.global();
        List<Proxy> proxies = parser.proxies();
        var peers = parser.peers(localPeer);
        new SemanticCheck(diagnostics).check(global, proxies);
        // userlist sections: the http_auth fetches compile against them.
        Path base = global.extras().baseDirectory(); // default-path
        // cache sections: cache-use / cache-store name them.
        Conditions compiler = new Conditions(diagnostics, base, proxies, parser.userlists(), parser.caches());
        var conditions = new java.util.HashMap<>(compiler.compile(proxies));
        // stats admin / use-service conditions (issue 9), keyed by their own lines.
        conditions.putAll(new dev.sluice.balancer.config.check.StatsConditions(diagnostics,
                base, proxies).compile(proxies));
        ZeroWarning.apply(global, diagnostics);
        Optional<Config> config = diagnostics.hasAlerts() ? Optional.empty()
                : Optional.of(new Config(global, proxies, conditions, compiler.rules(), peers));
        return new LoadResult(config, diagnostics.list());
    }

    private static List<Path> expand(List<Path> paths, Diagnostics diagnostics) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            try (Stream<Path> entries = Files.list(path)) {
                entries.filter(p -> p.getFileName().toString().endsWith(DIRECTORY_SUFFIX))
                        .filter(Files::isRegularFile)
                        .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                        .forEach(files::add);
            } catch (IOException e) {
                diagnostics.alert(null, "cannot read configuration directory '" + path + "': " + e.getMessage());
            }
        }
        return files;
    }

    private static String read(Path file, Diagnostics diagnostics) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            diagnostics.alert(null, "configuration file '" + file + "' is not valid UTF-8");
        } catch (java.nio.file.AccessDeniedException e) {
            // Typical after 'user'/'group': a reload reads the files as that user.
            diagnostics.alert(null, "could not read configuration file '" + file + "': permission denied");
        } catch (java.nio.file.NoSuchFileException e) {
            diagnostics.alert(null, "could not open configuration file '" + file + "': no such file");
        } catch (IOException e) {
            diagnostics.alert(null, "could not read configuration file '" + file + "': " + e.getMessage());
        }
        return null;
    }
}
