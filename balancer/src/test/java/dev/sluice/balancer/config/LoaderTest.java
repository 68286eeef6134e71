package dev.sluice.balancer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.balancer.config.model.Proxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several -f files, directories, unreadable files, and the -c report. */
class LoaderTest {

    private static final String DEFAULTS = """
            defaults
                mode http
                timeout client 1s
                timeout connect 1s
                timeout server 1s
            """;

    @TempDir
    Path dir;

    @Test
    void severalFilesAreOneConfigurationAndDefaultsCarryOver() throws IOException {
        Path first = Files.writeString(dir.resolve("a.conf"), DEFAULTS);
        Path second = Files.writeString(dir.resolve("b.conf"), """
                frontend f
                    bind 127.0.0.1:18210
                    default_backend b
                """);
        Path third = Files.writeString(dir.resolve("c.conf"), """
                backend b
                    server s 127.0.0.1:9001
                """);
        LoadResult result = ConfigLoader.load(List.of(first, second, third), Map.of());
        assertTrue(result.isValid(), result.render());
        assertEquals(List.of("f", "b"), result.config().orElseThrow().proxies().stream().map(Proxy::name).toList());
        assertEquals(second.toString(), result.config().orElseThrow().proxies().get(0).location().file());
    }

    @Test
    void aDirectoryLoadsItsCfgFilesInLexicalOrder() throws IOException {
        Path conf = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(conf.resolve("10-defaults.cfg"), DEFAULTS);
        Files.writeString(conf.resolve("30-backend.cfg"), "backend b\n    server s 127.0.0.1:9001\n");
        Files.writeString(conf.resolve("20-frontend.cfg"), "frontend f\n    bind 127.0.0.1:18211\n    default_backend b\n");
        Files.writeString(conf.resolve("99-ignored.txt"), "this is not a configuration\n");
        Files.createDirectory(conf.resolve("sub.cfg"));
        LoadResult result = ConfigLoader.load(List.of(conf), Map.of());
        assertTrue(result.isValid(), result.render());
        assertEquals(List.of("f", "b"), result.config().orElseThrow().proxies().stream().map(Proxy::name).toList());
    }

    @Test
    void aNewFileStartsOutsideAnySection() throws IOException {
        Path first = Files.writeString(dir.resolve("a.cfg"), DEFAULTS + "frontend f\n    bind 127.0.0.1:18212\n");
        Path second = Files.writeString(dir.resolve("b.cfg"), "    maxconn 10\n");
        LoadResult result = ConfigLoader.load(List.of(first, second), Map.of());
        assertEquals(List.of("[ALERT] " + second + ":1: unknown keyword 'maxconn' out of section"),
                Vectors.actual(result));
    }

    @Test
    void missingAndUnreadableFilesAreReported() throws IOException {
        Path missing = dir.resolve("missing.cfg");
        Path binary = Files.write(dir.resolve("binary.cfg"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x0a});
        LoadResult result = ConfigLoader.load(List.of(missing, binary), Map.of());
        assertFalse(result.isValid());
        assertEquals(List.of(
                "[ALERT] config: could not open configuration file '" + missing + "': no such file",
                "[ALERT] config: configuration file '" + binary + "' is not valid UTF-8",
                "[ALERT] config: no listener: no frontend or listen section has a 'bind' line, so there is nothing "
                        + "to start"), Vectors.actual(result));
    }

    @Test
    void noFileAtAll() {
        assertEquals(List.of("[ALERT] config: no configuration file given (use -f FILE or -f DIRECTORY)"),
                Vectors.actual(ConfigLoader.load(List.of(), Map.of())));
    }

    @Test
    void checkPrintsLikeHaproxyAndReturnsTheExitStatus() throws IOException {
        Path good = Files.writeString(dir.resolve("good.cfg"), "global\n    daemon\n" + DEFAULTS
                + "frontend f\n    bind 127.0.0.1:18213\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Check.VALID, Check.run(List.of(good), print(out), print(err)));
        assertEquals("Configuration file is valid\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("[NOTICE] " + good + ":2: 'daemon' accepted but ignored: sluice-balancer always stays in "
                + "the foreground, supervised by systemd\n", err.toString(StandardCharsets.UTF_8));

        Path stored = Files.writeString(dir.resolve("stored.cfg"), DEFAULTS
                + "listen f\n    bind 127.0.0.1:18215\n    server s 127.0.0.1:9001 observe layer4\n");
        err.reset();
        out.reset();
        assertEquals(Check.VALID, Check.run(List.of(stored), print(out), print(err)));
        assertEquals("[WARNING] " + stored + ":8: 'server f/s': 'observe' has no effect without 'check' (HAProxy ignores "
                + "it too)\n", err.toString(StandardCharsets.UTF_8));

        Path bad = Files.writeString(dir.resolve("bad.cfg"), DEFAULTS + "frontend f\n    bind 127.0.0.1:18214\n"
                + "    default_backend nope\n    maxconn x\n");
        out.reset();
        err.reset();
        assertEquals(Check.INVALID, Check.run(List.of(bad), print(out), print(err)));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("[ALERT] " + bad + ":9: 'maxconn' expects an integer between 0 and 2147483647 (got 'x')\n"
                + "[ALERT] " + bad + ":8: frontend 'f': unable to find the backend 'nope' named by default_backend\n"
                + "[ALERT] config: Fatal errors found in configuration.\n", err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
