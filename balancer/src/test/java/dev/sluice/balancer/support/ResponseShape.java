package dev.sluice.balancer.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.1 response as differential tests compare it: the status line, the headers with lower-case
 * names sorted (without {@code date}, and without {@code connection}, which RulesIT checks), then the
 * body.
 */
public final class ResponseShape {
    private ResponseShape() {
    }

    public static List<String> of(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return List.of("no response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        List<String> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).toLowerCase(Locale.ROOT);
            if (!name.equals("date") && !name.equals("connection")) {
                headers.add(name + ":" + lines[i].substring(colon + 1));
            }
        }
        headers.sort(null);
        List<String> seen = new ArrayList<>();
        seen.add(lines[0]);
        seen.addAll(headers);
        seen.add("body " + text.substring(end + 4));
        return seen;
    }
}
