package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclException;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Units;
import dev.sluice.balancer.lb.Balance;
import dev.sluice.balancer.lb.HashFunction;
import dev.sluice.balancer.lb.HashType;
import java.nio.file.Path;
import java.util.List;

/**
 * The arguments of {@code balance} and {@code hash-type}, turned into the load balancer's values with
 * HAProxy 2.6's rules (its {@code backend_parse_balance} and the {@code hash-type} keyword).
 */
final class BalanceKeywords {
    /** HAProxy's limits for {@code uri len} and {@code uri depth} are plain positive integers. */
    private static final int MAX_URI_ARGUMENT = Integer.MAX_VALUE;
    /** {@code hash-balance-factor} is stored in 16 bits by HAProxy. */
    private static final int MAX_BALANCE_FACTOR = 65535;

    private BalanceKeywords() {
    }

    /**
     * @param written the algorithm word, with its {@code (…)} suffix if any
     * @param args    the words after it
     */
    static Balance.Algorithm algorithm(String written, List<String> args) throws ConfigException {
        int paren = written.indexOf('(');
        String name = paren < 0 ? written : written.substring(0, paren);
        String inside = paren < 0 ? null : written.substring(paren + 1, written.length() - 1);
        return switch (name) {
            case "roundrobin" -> new Balance.RoundRobin();
            case "static-rr" -> new Balance.StaticRoundRobin();
            case "leastconn" -> new Balance.LeastConn();
            case "first" -> new Balance.First();
            case "source" -> new Balance.Source();
            case "random" -> new Balance.Random(inside == null || inside.isEmpty() ? Balance.Random.DEFAULT_DRAWS
                    : Units.integer(inside, "'balance random' draws", 1, Integer.MAX_VALUE));
            case "uri" -> uri(args);
            case "url_param" -> urlParam(args);
            case "hdr" -> header(inside, args);
            case "hash" -> hash(args);
            case "rdp-cookie" -> throw new ConfigException("'balance rdp-cookie' is not supported yet");
            default -> throw new ConfigException("'balance': unknown algorithm '" + written + "'");
        };
    }

    /**
     * {@code hash EXPR}: one sample expression, checked here so a typo is reported at its line; the compiler
     * compiles it again into the backend's plan.
     */
    private static Balance.Hash hash(List<String> args) throws ConfigException {
        if (args.isEmpty()) {
            throw new ConfigException("'balance hash' requires a sample expression");
        }
        if (args.size() > 1) {
            throw new ConfigException("'balance hash' takes no other argument (got '" + args.get(1) + "')");
        }
        try {
            new AclCompiler(Path.of("").toAbsolutePath(), ProxyCatalog.ANY).sampleExpression(args.get(0), "balance");
        } catch (AclException e) {
            throw new ConfigException("'balance hash': " + e.getMessage());
        }
        return new Balance.Hash(args.get(0));
    }

    private static Balance.Uri uri(List<String> args) throws ConfigException {
        boolean whole = false;
        boolean pathOnly = false;
        int length = 0;
        int depth = 0;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            switch (word) {
                case "whole" -> whole = true;
                case "path-only" -> pathOnly = true;
                case "len", "depth" -> {
                    if (i + 1 >= args.size()) {
                        throw new ConfigException("'balance uri " + word + "' expects a positive integer");
                    }
                    int value = Units.integer(args.get(++i), "'balance uri " + word + "'", 1, MAX_URI_ARGUMENT);
                    if (word.equals("len")) {
                        length = value;
                    } else {
                        depth = value;
                    }
                }
                default -> throw new ConfigException("'balance uri' only accepts parameters 'len', 'depth', "
                        + "'path-only' and 'whole' (got '" + word + "')");
            }
        }
        return new Balance.Uri(whole, length, depth, pathOnly);
    }

    private static Balance.UrlParam urlParam(List<String> args) throws ConfigException {
        if (args.isEmpty()) {
            throw new ConfigException("'balance url_param' requires a URL parameter name");
        }
        if (args.size() > 1) {
            if (args.get(1).equals("check_post")) {
                throw new ConfigException("'balance url_param " + args.get(0) + " check_post' is not supported yet "
                        + "(request bodies are not hashed)");
            }
            throw new ConfigException("'balance url_param " + args.get(0) + "': unexpected argument '"
                    + args.get(1) + "'");
        }
        return new Balance.UrlParam(args.get(0));
    }

    private static Balance.Header header(String name, List<String> args) throws ConfigException {
        if (name == null || name.isEmpty()) {
            throw new ConfigException("'balance hdr' requires a header name in parentheses: hdr(name)");
        }
        boolean domainOnly = false;
        for (String word : args) {
            if (!word.equals("use_domain_only")) {
                throw new ConfigException("'balance hdr(" + name + ")' only accepts 'use_domain_only' (got '"
                        + word + "')");
            }
            domainOnly = true;
        }
        return new Balance.Header(name, domainOnly);
    }

    /** {@code hash-type METHOD [FUNCTION] [avalanche]}, with HAProxy's defaults. */
    static HashType hashType(List<String> args) throws ConfigException {
        HashType.Method method = switch (args.get(0)) {
            case "map-based" -> HashType.Method.MAP_BASED;
            case "consistent" -> HashType.Method.CONSISTENT;
            case "avalanche" -> throw new ConfigException("'hash-type avalanche' is deprecated in HAProxy and "
                    + "not supported: write 'hash-type map-based sdbm avalanche'");
            default -> throw new ConfigException("'hash-type' expects 'map-based' or 'consistent' (got '"
                    + args.get(0) + "')");
        };
        if (args.size() == 1) {
            // As HAProxy: sdbm, and with consistent hashing the avalanche mix as well.
            return method == HashType.Method.CONSISTENT ? HashType.CONSISTENT : HashType.DEFAULT;
        }
        HashFunction function = switch (args.get(1)) {
            case "sdbm" -> HashFunction.SDBM;
            case "djb2" -> HashFunction.DJB2;
            case "wt6" -> HashFunction.WT6;
            case "crc32" -> HashFunction.CRC32;
            case "none" -> HashFunction.NONE;
            default -> throw new ConfigException("'hash-type " + args.get(0) + "': unknown hash function '"
                    + args.get(1) + "' (expected: sdbm, djb2, wt6, crc32 or none)");
        };
        boolean avalanche = false;
        if (args.size() > 2) {
            if (!args.get(2).equals("avalanche")) {
                throw new ConfigException("'hash-type': unknown hash modifier '" + args.get(2)
                        + "' (expected: avalanche)");
            }
            if (args.size() > 3) {
                throw new ConfigException("'hash-type': unexpected argument '" + args.get(3) + "'");
            }
            avalanche = true;
        }
        return new HashType(method, function, avalanche);
    }

    static int hashBalanceFactor(String word) throws ConfigException {
        int factor = Units.integer(word, "'hash-balance-factor'", 0, MAX_BALANCE_FACTOR);
        if (factor != 0 && factor <= 100) {
            throw new ConfigException("'hash-balance-factor' must be 0 (off) or greater than 100 (got "
                    + factor + ")");
        }
        return factor;
    }
}
