package dev.sluice.balancer.config.model;

import dev.sluice.balancer.config.SourceLocation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/** {@code errorfile CODE FILE}: the complete raw HTTP response read and checked at load time. */
public record ErrorFile(SourceLocation location, int status, Path path, byte[] response) {

    public ErrorFile {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(path, "path");
        response = response.clone();
    }

    @Override
    public byte[] response() {
        return response.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ErrorFile that && status == that.status && path.equals(that.path)
                && location.equals(that.location) && Arrays.equals(response, that.response);
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, status, path, Arrays.hashCode(response));
    }

    @Override
    public String toString() {
        return "ErrorFile[" + status + " " + path + " (" + response.length + " bytes) at " + location + "]";
    }
}
