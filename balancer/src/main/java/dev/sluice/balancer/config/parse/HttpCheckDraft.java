package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.check.HttpProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code option httpchk} and {@code http-check} settings while a section is read (copied from defaults). */
final class HttpCheckDraft {
    boolean enabled;
    String method = HttpProbe.DEFAULT.method();
    String uri = HttpProbe.DEFAULT.uri();
    String version = HttpProbe.DEFAULT.version();
    final List<HttpProbe.Header> headers = new ArrayList<>();
    String body = "";
    boolean sendRule;
    HttpProbe.Expect expect = HttpProbe.Expect.DEFAULT;
    boolean expectSet;

    HttpCheckDraft copy() {
        HttpCheckDraft copy = new HttpCheckDraft();
        copy.enabled = enabled;
        copy.method = method;
        copy.uri = uri;
        copy.version = version;
        copy.headers.addAll(headers);
        copy.body = body;
        copy.sendRule = sendRule;
        copy.expect = expect;
        copy.expectSet = expectSet;
        return copy;
    }

    Optional<HttpProbe> build() {
        return enabled ? Optional.of(new HttpProbe(method, uri, version, headers, body, sendRule, expect))
                : Optional.empty();
    }
}
