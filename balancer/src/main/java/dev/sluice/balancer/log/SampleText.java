package dev.sluice.balancer.log;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.SampleSink;

/**
 * Writes the first value of a {@code %[sample]} as text, as HAProxy's log does (integers in
 * decimal, addresses in their usual form, booleans as 0 or 1), into the line being built.
 */
final class SampleText implements SampleSink {
    private StringBuilder out;

    /** True when the expression gave a value (appended to {@code into}). */
    boolean evaluate(SampleExpression expression, RequestView view, StringBuilder into) {
        if (view == null) {
            return false;
        }
        out = into;
        try {
            return expression.evaluate(view, this);
        } finally {
            out = null;
        }
    }

    @Override
    public boolean string(CharSequence chars, int from, int to) {
        out.append(chars, from, to);
        return true;
    }

    @Override
    public boolean integer(long value) {
        out.append(value);
        return true;
    }

    @Override
    public boolean ip(IpAddress address) {
        out.append(address.toString());
        return true;
    }

    @Override
    public boolean bool(boolean value) {
        out.append(value ? '1' : '0');
        return true;
    }
}
