package dev.sluice.terminator.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sluice.testkit.ExternalProcess;

/**
 * A throw-away PKI made with the real openssl command: a CA and leaf certificates (RSA-2048 or
 * EC P-256) with SANs and, optionally, an OCSP responder URL; files in a temporary directory.
 */
final class TestPki {
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);

    final Path dir;
    final Path caKey;
    final Path caCert;
    private int serial = 0x1000;
    private final List<String> index = new ArrayList<>();

    TestPki(Path dir) {
        this.dir = dir;
        this.caKey = dir.resolve("ca.key");
        this.caCert = dir.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "30", "-subj", "/CN=Sluice Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    /** A leaf: returns {key, cert} paths; key in PKCS#8 (openssl's default). */
    Leaf leaf(String name, String keyType, String ocspUrl, String... sans) {
        Path key = dir.resolve(name + "." + keyType + ".key");
        Path csr = dir.resolve(name + "." + keyType + ".csr");
        Path cert = dir.resolve(name + "." + keyType + ".crt");
        Path ext = dir.resolve(name + "." + keyType + ".ext");
        List<String> newKey = keyType.equals("rsa") ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        List<String> req = new ArrayList<>(List.of("req"));
        req.addAll(newKey);
        req.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name));
        openssl(req.toArray(String[]::new));
        StringBuilder extensions = new StringBuilder("basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        if (sans.length > 0) {
            List<String> dns = new ArrayList<>();
            for (String san : sans) {
                dns.add("DNS:" + san);
            }
            extensions.append("subjectAltName=").append(String.join(",", dns)).append('\n');
        }
        if (ocspUrl != null) {
            extensions.append("authorityInfoAccess=OCSP;URI:").append(ocspUrl).append('\n');
        }
        write(ext, extensions.toString());
        int leafSerial = serial++;
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-set_serial", Integer.toString(leafSerial), "-days", "30", "-extfile", ext.toString(),
                "-out", cert.toString());
        index.add("V\t" + "301231000000Z" + "\t\t" + String.format("%X", leafSerial) + "\tunknown\t/CN=" + name);
        return new Leaf(key, cert, leafSerial);
    }

    /** key then certificate then CA, hitch's usual order, in one file. */
    Path combined(Leaf leaf, String fileName) {
        Path pem = dir.resolve(fileName);
        write(pem, read(leaf.key()) + read(leaf.cert()) + read(caCert));
        return pem;
    }

    /** The key converted to the traditional form: PKCS#1 for RSA, SEC1 for EC. */
    Path traditionalKey(Leaf leaf, String type) {
        Path out = dir.resolve(leaf.key().getFileName() + ".trad");
        openssl(type, "-in", leaf.key().toString(), "-traditional", "-out", out.toString());
        return out;
    }

    /** openssl ocsp's index.txt; {@code revoked} serials are marked revoked. */
    Path index(int... revoked) {
        List<String> lines = new ArrayList<>();
        for (String line : index) {
            String result = line;
            for (int serialNumber : revoked) {
                String hex = String.format("%X", serialNumber);
                if (line.contains("\t" + hex + "\t")) {
                    result = line.replaceFirst("^V\t(\\S+)\t\t", "R\t$1\t250101000000Z\t");
                }
            }
            lines.add(result);
        }
        Path file = dir.resolve("index.txt");
        write(file, String.join("\n", lines) + "\n");
        return file;
    }

    record Leaf(Path key, Path cert, int serial) {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        ExternalProcess.run("openssl", command, OPENSSL_TIMEOUT).assertExit(0);
    }
}
