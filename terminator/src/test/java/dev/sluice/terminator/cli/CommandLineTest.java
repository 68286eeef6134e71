package dev.sluice.terminator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.common.net.Endpoint;
import dev.sluice.terminator.config.ProxyMode;
import dev.sluice.terminator.config.TerminatorConfig;
import dev.sluice.terminator.tls.PemSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path dir;

    private TerminatorConfig load(String... args) throws ConfigException {
        return Configuration.load(CommandLineOptions.parse(CommandLineOptions.commandLine("test"), args));
    }

    @Test
    void hitchStyleCommandLine() throws Exception {
        Path pem = Files.writeString(dir.resolve("a.pem"), "x");
        TerminatorConfig config = load("--frontend=[127.0.0.1]:8443", "-f", "[::1]:8443", "--backend=[127.0.0.1]:6086",
                "--write-proxy-v2", "--backlog=50", "-k", "60", "--alpn-protos=h2,http/1.1", pem.toString());
        assertEquals(List.of(Endpoint.parse("[127.0.0.1]:8443"), Endpoint.parse("[::1]:8443")),
                     config.frontends().stream().map(f -> f.address()).toList());
        assertEquals(ProxyMode.PROXY_V2, config.proxyMode());
        assertEquals(50, config.backlog());
        assertEquals(60, config.keepalive().toSeconds());
        assertEquals(List.of(new PemSource(pem, null)), config.frontends().getFirst().tls().pems());
    }

    @Test
    void booleanFlagTakesOnOff() throws Exception {
        Path pem = Files.writeString(dir.resolve("a.pem"), "x");
        assertEquals(ProxyMode.NONE, load("--write-proxy-v2=off", pem.toString()).proxyMode());
        assertEquals(ProxyMode.PROXY_V1, load("--write-proxy-v1=on", pem.toString()).proxyMode());
        assertEquals(ProxyMode.PROXY_V1, load("--write-proxy-v1", pem.toString()).proxyMode(),
                     "a switch must not swallow the PEM argument after it");
        assertEquals(ProxyMode.NONE, load("--write-proxy-v1", "off", pem.toString()).proxyMode());
    }

    @Test
    void configFileThenFlags() throws Exception {
        Path pem = Files.writeString(dir.resolve("a.pem"), "x");
        Path conf = Files.writeString(dir.resolve("hitch.conf"), "pem-file = \"" + pem + "\"\nbacklog = 7\nworkers = 1\n");
        TerminatorConfig config = load("--config=" + conf, "--backlog=9");
        assertEquals(9, config.backlog());
    }

    @Test
    void unsupportedFlagIsRefusedNamingTheFlag() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("--daemon", "--ssl-engine=qat"));
        assertEquals("--daemon: 'daemon' is not supported: sluice-terminator runs in the foreground only; let"
                + " systemd (Type=notify) or another supervisor manage it [daemon]", e.problems().get(0));
        assertEquals("--ssl-engine: 'ssl-engine' is not supported: OpenSSL engines do not exist in BoringSSL;"
                + " remove the option [ssl_engine]", e.problems().get(1));
    }

    @Test
    void unknownFlagIsAParseError() {
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> CommandLineOptions.parse(CommandLineOptions.commandLine("test"), "--no-such-option"));
    }
}
