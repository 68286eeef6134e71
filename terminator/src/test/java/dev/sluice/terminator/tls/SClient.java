package dev.sluice.terminator.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.testkit.ExternalProcess;

/** Runs `openssl s_client` against a loopback port and reads what it printed. */
final class SClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SClient() {
    }

    static String run(int port, String... extra) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-ign_eof"));
        command.addAll(List.of(extra));
        return ExternalProcess.run("s_client", command, TIMEOUT).output();
    }

    /** The group of {@code regex} in {@code output}, or null. */
    static String find(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        return matcher.find() ? matcher.group(1) : null;
    }

    static String subjectCn(String output) {
        return find(output, "(?m)^subject=.*?CN ?= ?([^,\\s/]+)");
    }

    static String publicKeyBits(String output) {
        return find(output, "Server public key is (\\d+) bit");
    }
}
