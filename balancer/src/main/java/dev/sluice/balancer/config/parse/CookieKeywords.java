package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.runtime.CookiePlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cookie NAME [rewrite|insert|prefix] [indirect] [nocache] [postonly] [preserve] [httponly]
 * [secure] [domain D]… [maxidle T] [maxlife T]} with HAProxy 2.6's checks.
 */
final class CookieKeywords {
    private CookieKeywords() {
    }

    static CookiePlan parse(Line line, Diagnostics diagnostics) throws ConfigException {
        String name = line.word(1);
        CookiePlan.Mode mode = CookiePlan.Mode.PASSIVE;
        boolean indirect = false;
        boolean nocache = false;
        boolean postonly = false;
        boolean preserve = false;
        boolean httponly = false;
        boolean secure = false;
        List<String> domains = new ArrayList<>();
        Duration maxidle = Duration.ZERO;
        Duration maxlife = Duration.ZERO;
        List<String> words = line.from(2);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "rewrite", "insert", "prefix" -> {
                    if (mode != CookiePlan.Mode.PASSIVE) {
                        throw new ConfigException("cookie 'rewrite', 'insert' and 'prefix' modes are mutually exclusive");
                    }
                    mode = CookiePlan.Mode.valueOf(word.toUpperCase(java.util.Locale.ROOT));
                }
                case "indirect" -> indirect = true;
                case "nocache" -> nocache = true;
                case "postonly" -> postonly = true;
                case "preserve" -> preserve = true;
                case "httponly" -> httponly = true;
                case "secure" -> secure = true;
                case "domain" -> {
                    String domain = argument(words, i++, word);
                    if (!domain.startsWith(".") && domain.indexOf('.', 1) < 0) {
                        diagnostics.warning(line.location(), "cookie domain '" + domain + "' contains no embedded "
                                + "dot and does not start with a dot; browsers may ignore the cookie");
                    }
                    domains.add(domain);
                }
                case "maxidle", "maxlife" -> {
                    Duration value = Units.time(argument(words, i++, word));
                    if (value.toSeconds() <= 0) {
                        throw new ConfigException("cookie '" + word + "' expects a time of at least one second");
                    }
                    if (word.equals("maxidle")) {
                        maxidle = value;
                    } else {
                        maxlife = value;
                    }
                }
                case "dynamic" -> throw new ConfigException("cookie 'dynamic' is not supported yet (give each "
                        + "server a 'cookie VALUE' instead)");
                case "attr" -> throw new ConfigException("cookie 'attr' is not supported yet");
                default -> throw new ConfigException("cookie supports 'rewrite', 'insert', 'prefix', 'indirect', "
                        + "'nocache', 'postonly', 'preserve', 'httponly', 'secure', 'domain', 'maxidle' and "
                        + "'maxlife' (got '" + word + "')");
            }
        }
        if (preserve && mode != CookiePlan.Mode.INSERT && !indirect) {
            throw new ConfigException("cookie 'preserve' requires at least 'insert' or 'indirect'");
        }
        return new CookiePlan(name, mode, indirect, nocache, postonly, preserve, httponly, secure, domains, maxidle,
                maxlife);
    }

    private static String argument(List<String> words, int at, String keyword) throws ConfigException {
        if (at + 1 >= words.size() || words.get(at + 1).isEmpty()) {
            throw new ConfigException("cookie '" + keyword + "' expects an argument");
        }
        return words.get(at + 1);
    }
}
