package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.auth.StoredPassword;
import dev.sluice.balancer.auth.Userlist;
import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.lex.Line;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code userlist NAME} section while it is read: {@code group NAME [users U1,U2…]} and
 * {@code user NAME [password HASH|insecure-password PASS] [groups G1,G2…]}, each kept with its
 * line. {@link #build} checks the names each side refers to, as HAProxy does after parsing, and
 * makes the run-time {@link Userlist}.
 */
final class UserlistDraft {

    private record GroupLine(SourceLocation location, String name, List<String> users) {
    }

    private record UserLine(SourceLocation location, String name, StoredPassword password, List<String> groups) {
    }

    final SourceLocation location;
    final String name;
    private final Map<String, GroupLine> groups = new LinkedHashMap<>();
    private final Map<String, UserLine> users = new LinkedHashMap<>();

    UserlistDraft(SourceLocation location, String name) {
        this.location = location;
        this.name = name;
    }

    void apply(Line line, Diagnostics diagnostics) throws ConfigException {
        switch (line.keyword()) {
            case "group" -> group(line, diagnostics);
            case "user" -> user(line, diagnostics);
            default -> throw new ConfigException("unknown keyword '" + line.keyword() + "' in 'userlist' section"
                    + " (expected: group or user)");
        }
    }

    private void group(Line line, Diagnostics diagnostics) throws ConfigException {
        if (line.size() < 2) {
            throw new ConfigException("'group' expects <name> as argument");
        }
        String group = line.word(1);
        List<String> members = List.of();
        if (line.size() > 2) {
            if (!line.word(2).equals("users") || line.size() != 4) {
                throw new ConfigException("'group " + group + "' only supports 'users' followed by a comma-separated"
                        + " list of user names");
            }
            members = names(line.word(3));
        }
        if (groups.containsKey(group)) {
            diagnostics.warning(line.location(), "ignoring duplicated group '" + group + "' in userlist '" + name + "'");
            return;
        }
        groups.put(group, new GroupLine(line.location(), group, members));
    }

    private void user(Line line, Diagnostics diagnostics) throws ConfigException {
        if (line.size() < 2) {
            throw new ConfigException("'user' expects <name> as argument");
        }
        String user = line.word(1);
        StoredPassword password = null;
        String refused = null;
        List<String> memberOf = List.of();
        for (int i = 2; i < line.size(); i += 2) {
            String option = line.word(i);
            if (!option.equals("password") && !option.equals("insecure-password") && !option.equals("groups")) {
                throw new ConfigException("'user' only supports 'password', 'insecure-password' and 'groups' options"
                        + " (got '" + option + "')");
            }
            if (i + 1 >= line.size()) {
                throw new ConfigException("'user " + user + "': '" + option + "' expects a value");
            }
            String value = line.word(i + 1);
            switch (option) {
                case "password" -> {
                    try {
                        password = StoredPassword.hashed(value);
                        if (password.costWarning() != null) {
                            diagnostics.warning(line.location(), "'user " + user + "': " + password.costWarning());
                        }
                    } catch (IllegalArgumentException e) {
                        refused = "'user " + user + "': " + e.getMessage();
                    }
                }
                case "insecure-password" -> password = StoredPassword.clear(value);
                default -> memberOf = names(value);
            }
        }
        if (users.containsKey(user)) {
            diagnostics.warning(line.location(), "ignoring duplicated user '" + user + "' in userlist '" + name + "'");
            return;
        }
        if (refused != null) {
            // Still declared (without a password), so its groups do not report it missing as well.
            users.put(user, new UserLine(line.location(), user, null, memberOf));
            throw new ConfigException(refused);
        }
        if (password == null) {
            diagnostics.warning(line.location(), "user '" + user + "' in userlist '" + name + "' has no password "
                    + "and can never authenticate");
        }
        users.put(user, new UserLine(line.location(), user, password, memberOf));
    }

    private static List<String> names(String commaSeparated) {
        List<String> names = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isEmpty()) {
                names.add(part);
            }
        }
        return names;
    }

    /** The run-time userlist; an unknown user in a group or group of a user is an alert at its line. */
    Userlist build(Diagnostics diagnostics) {
        Map<String, Set<String>> membership = new HashMap<>();
        for (UserLine user : users.values()) {
            Set<String> of = membership.computeIfAbsent(user.name(), n -> new HashSet<>());
            for (String group : user.groups()) {
                if (!groups.containsKey(group)) {
                    diagnostics.alert(user.location(), "userlist '" + name + "': no such group '" + group
                            + "' specified in user '" + user.name() + "'");
                }
                of.add(group);
            }
        }
        for (GroupLine group : groups.values()) {
            for (String member : group.users()) {
                if (!users.containsKey(member)) {
                    diagnostics.alert(group.location(), "userlist '" + name + "': no such user '" + member
                            + "' specified in group '" + group.name() + "'");
                    continue;
                }
                membership.get(member).add(group.name());
            }
        }
        Map<String, Userlist.User> built = new HashMap<>();
        for (UserLine user : users.values()) {
            built.put(user.name(), new Userlist.User(user.name(), user.password(), membership.get(user.name())));
        }
        return new Userlist(name, built, groups.keySet());
    }
}
