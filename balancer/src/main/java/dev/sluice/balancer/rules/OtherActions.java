package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.SampleExpression;
import dev.sluice.balancer.acl.Variables;
import dev.sluice.balancer.format.FormatString;
import io.netty.handler.codec.http.HttpResponseStatus;

/** {@code allow}, {@code set-status}, the final replies, and the variable actions. */
final class OtherActions {

    static final Action ALLOW = context -> Verdict.ALLOW;
    /** {@code silent-drop}: the exchange ends with the client connection dropped unawares. */
    static final Action SILENT_DROP = context -> Verdict.SILENT_DROP;
    /** {@code http-request disable-l7-retry}: only a failed connect may be retried (see RuleContext). */
    static final Action DISABLE_L7_RETRY = context -> {
        context.disableL7Retry();
        return Verdict.CONTINUE;
    };

    private OtherActions() {
    }

    static Action setStatus(int status, String reason) {
        HttpResponseStatus value = reason == null ? standardStatus(status) : new HttpResponseStatus(status, reason);
        return context -> {
            context.httpResponse().setStatus(value);
            return Verdict.CONTINUE;
        };
    }

    /**
     * A status with its standard reason; a code without one takes its class's ({@code 299 Success}),
     * as HAProxy sends it, not Netty's {@code "Success (299)"}.
     */
    private static HttpResponseStatus standardStatus(int status) {
        HttpResponseStatus known = HttpResponseStatus.valueOf(status);
        String suffix = " (" + status + ")";
        String phrase = known.reasonPhrase();
        if (!phrase.endsWith(suffix)) {
            return known;
        }
        return new HttpResponseStatus(status, phrase.substring(0, phrase.length() - suffix.length()));
    }

    /** {@code deny}, {@code tarpit} and {@code return}: the verdict with a fixed reply. */
    static Action reply(Verdict verdict, Reply reply) {
        return context -> {
            context.reply(reply, null);
            return verdict;
        };
    }

    static Action setVar(String name, SampleExpression expression) {
        return context -> {
            Variables vars = context.request().variables();
            if (vars != null) {
                vars.setFrom(name, expression, context.request());
            }
            return Verdict.CONTINUE;
        };
    }

    static Action setVarFormat(String name, FormatString format) {
        return context -> {
            Variables vars = context.request().variables();
            if (vars != null) {
                vars.set(name, context.renderString(format));
            }
            return Verdict.CONTINUE;
        };
    }

    static Action unsetVar(String name) {
        return context -> {
            Variables vars = context.request().variables();
            if (vars != null) {
                vars.unset(name);
            }
            return Verdict.CONTINUE;
        };
    }
}
