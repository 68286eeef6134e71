package dev.sluice.terminator.tls;

import java.nio.file.Path;

/** A certificate chain and its key: {@code keyPath} null means the key is inside {@code certPath}. */
public record PemSource(Path certPath, Path keyPath) {
}
