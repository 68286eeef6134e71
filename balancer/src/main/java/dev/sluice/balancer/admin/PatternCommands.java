package dev.sluice.balancer.admin;

import dev.sluice.balancer.acl.PatternRef;
import dev.sluice.balancer.acl.PatternRefs;
import dev.sluice.balancer.runtime.StatsPlan.Level;
import java.util.List;

/**
 * The runtime API's map and ACL commands with HAProxy 2.6's replies: {@code show map|acl [REF]},
 * {@code get map|acl REF SAMPLE}, {@code add map REF KEY VALUE}, {@code add acl REF PATTERN},
 * {@code set map REF KEY|#ENTRY VALUE}, {@code del map|acl REF KEY|#ENTRY} and {@code clear map|acl
 * REF}, where REF is {@code #ID} or the file's name as the configuration gives it. A change applies
 * to every ACL and map converter built from that list at once; HAProxy 2.6 checks no level for
 * them, nor does this. Versioned updates ({@code @VER}, {@code prepare}, {@code commit}) and
 * payloads are not supported: they are answered so.
 */
public final class PatternCommands {
    private static final String VERSIONS = "Versioned updates (@<ver>, prepare, commit) are not supported by Sluice.\n";

    private final PatternRefs refs;

    private PatternCommands(PatternRefs refs) {
        this.refs = refs;
    }

    /** Registers the map and ACL commands over the lists of one configuration. */
    public static void register(CliCommands commands, PatternRefs refs) {
        PatternCommands p = new PatternCommands(refs);
        commands.register("add acl", Level.USER, "add acl [@<ver>] <acl> <pattern>", "add an acl entry", p::addAcl)
                .register("add map", Level.USER, "add map [@<ver>] <map> <key> <val>",
                        "add a map entry (payload supported instead of key/val)", p::addMap)
                .register("clear acl", Level.USER, "clear acl [@<ver>] <acl>", "clear the contents of this acl",
                        (s, a) -> p.clear(a, false))
                .register("clear map", Level.USER, "clear map [@<ver>] <map>", "clear the contents of this map",
                        (s, a) -> p.clear(a, true))
                .register("del acl", Level.USER, "del acl <acl> [<key>|#<ref>]", "delete acl entries matching <key>",
                        (s, a) -> p.delete(a, false))
                .register("del map", Level.USER, "del map <map> [<key>|#<ref>]", "delete map entries matching <key>",
                        (s, a) -> p.delete(a, true))
                .register("get acl", Level.USER, "get acl <acl> <value>",
                        "report the patterns matching a sample for an ACL", (s, a) -> p.get(a, false))
                .register("get map", Level.USER, "get map <acl> <value>",
                        "report the keys and values matching a sample for a map", (s, a) -> p.get(a, true))
                .register("set map", Level.USER, "set map <map> [<key>|#<ref>] <value>", "modify a map entry", p::set)
                .register("show acl", Level.USER, "show acl [@<ver>] <acl>]",
                        "report available acls or dump an acl's contents", (s, a) -> p.show(a, false))
                .register("show map", Level.USER, "show map [@ver] [map]",
                        "report available maps or dump a map's contents", (s, a) -> p.show(a, true));
    }

    private static String unknown(boolean map) {
        return "Unknown " + (map ? "map" : "ACL") + " identifier. Please use #<id> or <file>.\n";
    }

    private static boolean versioned(List<String> args) {
        return args.size() > 2 && args.get(2).startsWith("@");
    }

    private String show(List<String> args, boolean map) {
        if (versioned(args)) {
            return VERSIONS;
        }
        if (args.size() < 3) {
            StringBuilder reply = new StringBuilder("# id (file) description\n");
            for (PatternRef ref : refs.all()) {
                if (map ? ref.usedByMap() : ref.usedByAcl()) {
                    reply.append(ref.id()).append(" (").append(ref.file()).append(") ").append(ref.description())
                            .append(" curr_ver=0 next_ver=0 entry_cnt=").append(ref.entries().size()).append('\n');
                }
            }
            return reply.toString();
        }
        PatternRef ref = refs.find(args.get(2), map);
        if (ref == null) {
            return unknown(map);
        }
        StringBuilder reply = new StringBuilder();
        for (PatternRef.Entry e : ref.entries()) {
            reply.append(e.reference()).append(' ');
            reply.append(map ? e.key() + " " + e.value() : e.text()).append('\n');
        }
        return reply.toString();
    }

    private String get(List<String> args, boolean map) {
        if (args.size() < 4) {
            return "Missing " + (map ? "map" : "ACL") + " identifier and/or key.\n";
        }
        PatternRef ref = refs.find(args.get(2), map);
        return ref == null ? unknown(map) : ref.describe(map, String.join(" ", args.subList(3, args.size())));
    }

    private String addMap(CliSession session, List<String> args) {
        if (versioned(args)) {
            return VERSIONS;
        }
        if (args.size() < 5) {
            return "'add map' expects three parameters (map identifier, key and value) or one parameter (map"
                    + " identifier) and a payload\n";
        }
        PatternRef ref = refs.find(args.get(2), true);
        if (ref == null) {
            return unknown(true);
        }
        return refused(ref.add(args.get(3) + " " + String.join(" ", args.subList(4, args.size()))));
    }

    private String addAcl(CliSession session, List<String> args) {
        if (versioned(args)) {
            return VERSIONS;
        }
        if (args.size() < 4) {
            return "'add acl' expects two parameters: ACL identifier and pattern.\n";
        }
        PatternRef ref = refs.find(args.get(2), false);
        if (ref == null) {
            return unknown(false);
        }
        return refused(ref.add(String.join(" ", args.subList(3, args.size()))));
    }

    private String set(CliSession session, List<String> args) {
        if (args.size() < 5) {
            return "'set map' expects three parameters: map identifier, key and value.\n";
        }
        PatternRef ref = refs.find(args.get(2), true);
        if (ref == null) {
            return unknown(true);
        }
        int changed = ref.set(args.get(3), String.join(" ", args.subList(4, args.size())));
        if (changed < 0) {
            return "Unable to parse the value '" + String.join(" ", args.subList(4, args.size())) + "'.\n";
        }
        return changed == 0 ? "entry not found.\n" : "";
    }

    private String delete(List<String> args, boolean map) {
        if (args.size() < 4) {
            return "This command expects two parameters: " + (map ? "map" : "ACL") + " identifier and key.\n";
        }
        PatternRef ref = refs.find(args.get(2), map);
        if (ref == null) {
            return unknown(map);
        }
        return ref.delete(String.join(" ", args.subList(3, args.size()))) == 0 ? "Key not found.\n" : "";
    }

    private String clear(List<String> args, boolean map) {
        if (versioned(args)) {
            return VERSIONS;
        }
        if (args.size() < 3) {
            return "Missing " + (map ? "map" : "ACL") + " identifier.\n";
        }
        PatternRef ref = refs.find(args.get(2), map);
        if (ref == null) {
            return unknown(map);
        }
        ref.clear();
        return "";
    }

    private static String refused(String reason) {
        return reason == null ? "" : reason + ".\n";
    }
}
