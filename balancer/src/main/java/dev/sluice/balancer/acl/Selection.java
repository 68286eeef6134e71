package dev.sluice.balancer.acl;

/**
 * The {@code field} and {@code word} converters, found in place. Fields are what lies between single
 * delimiters, empty ones included; words are runs of non-delimiters, so leading, trailing and
 * repeated delimiters do not count. A positive index counts from the start (1 is the first), a
 * negative one from the end; {@code count} takes that many items and the result spans from the
 * first to the last taken, delimiters included. With {@code count} 0, or when fewer items remain
 * than asked, the result runs to the edge of the input, edge delimiters included (as haproxy 2.6
 * does: {@code word(-1,/,0)} of {@code /f1/f2} is {@code /f1/f2}).
 */
final class Selection {

    private Selection() {
    }

    static long select(CharSequence s, int from, int to, String delimiters, int index, int count, boolean words) {
        return index > 0 ? forward(s, from, to, delimiters, index, count, words)
                : backward(s, from, to, delimiters, -index, count, words);
    }

    private static boolean delimiter(CharSequence s, int i, String delimiters) {
        return delimiters.indexOf(s.charAt(i)) >= 0;
    }

    private static long forward(CharSequence s, int from, int to, String delimiters, int index, int count, boolean words) {
        int pos = from;
        int item = 0;
        int firstStart = -1;
        while (true) {
            if (words) {
                while (pos < to && delimiter(s, pos, delimiters)) {
                    pos++;
                }
                if (pos >= to) {
                    break;
                }
            }
            int start = pos;
            while (pos < to && !delimiter(s, pos, delimiters)) {
                pos++;
            }
            item++;
            if (item == index) {
                firstStart = start;
            }
            if (firstStart >= 0 && count > 0 && item == index + count - 1) {
                return Uris.range(firstStart, pos);
            }
            if (pos >= to) {
                break;
            }
            pos++;
        }
        return firstStart < 0 ? Uris.NONE : Uris.range(firstStart, to);
    }

    private static long backward(CharSequence s, int from, int to, String delimiters, int index, int count, boolean words) {
        int pos = to;
        int item = 0;
        int firstEnd = -1;
        while (true) {
            if (words) {
                while (pos > from && delimiter(s, pos - 1, delimiters)) {
                    pos--;
                }
                if (pos <= from) {
                    break;
                }
            }
            int end = pos;
            while (pos > from && !delimiter(s, pos - 1, delimiters)) {
                pos--;
            }
            item++;
            if (item == index) {
                firstEnd = end;
            }
            if (firstEnd >= 0 && count > 0 && item == index + count - 1) {
                return Uris.range(pos, firstEnd);
            }
            if (pos <= from) {
                break;
            }
            pos--;
        }
        return firstEnd < 0 ? Uris.NONE : Uris.range(from, firstEnd);
    }
}
