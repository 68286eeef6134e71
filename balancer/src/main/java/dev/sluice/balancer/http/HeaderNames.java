package dev.sluice.balancer.http;

import dev.sluice.balancer.runtime.HeaderNamePolicy;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Applies {@code option http-restrict-req-hdr-names} to a request's headers (see {@link HeaderNamePolicy}). */
final class HeaderNames {

    private HeaderNames() {
    }

    /** Deletes the offending headers or says the request must be refused; false when it must be. */
    static boolean allowed(HttpHeaders headers, HeaderNamePolicy policy) {
        if (policy == HeaderNamePolicy.PRESERVE) {
            return true;
        }
        List<String> offending = null;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            if (!plain(header.getKey())) {
                if (policy == HeaderNamePolicy.REJECT) {
                    return false;
                }
                if (offending == null) {
                    offending = new ArrayList<>();
                }
                offending.add(header.getKey().toString());
            }
        }
        if (offending != null) {
            offending.forEach(headers::remove);
        }
        return true;
    }

    /** Only letters, digits and '-' (the charset HAProxy 2.6 keeps). */
    static boolean plain(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
