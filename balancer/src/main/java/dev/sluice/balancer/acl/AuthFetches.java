package dev.sluice.balancer.acl;

import dev.sluice.balancer.auth.BasicCredentials;
import dev.sluice.balancer.auth.Userlist;
import java.util.List;

/**
 * The HTTP authentication fetches over the request's {@code Authorization} header:
 * {@code http_auth(L)} (valid credentials for userlist L), {@code http_auth_group(L)} (in an ACL,
 * the user's groups, matched against the group names listed; as a sample, the user name), and the
 * raw {@code http_auth_type}, {@code http_auth_user} and {@code http_auth_pass}, which HAProxy reads
 * without checking anything.
 */
final class AuthFetches {

    private static final String AUTHORIZATION = "authorization";
    private static final List<String> KNOWN_SCHEMES = List.of("Basic", "Bearer");

    private AuthFetches() {
    }

    /** Adds the fetches to the keyword table. */
    static void register() {
        Fetches.register("http_auth", SampleType.BOOL, 1, (k, a, c) -> {
            Userlist list = userlist(k, a, c);
            return (r, all, s) -> s.bool(list.authenticate(authorization(r)) != null);
        });
        Fetches.register("http_auth_group", SampleType.STR, 1, (k, a, c) -> new GroupFetch(userlist(k, a, c)));
        Fetches.register("http_auth_type", SampleType.STR, 0, (k, a, c) -> (r, all, s) -> {
            CharSequence value = authorization(r);
            String scheme = value == null ? null : known(BasicCredentials.scheme(value));
            return scheme != null && s.string(scheme, 0, scheme.length());
        });
        Fetches.register("http_auth_user", SampleType.STR, 0, (k, a, c) -> (r, all, s) -> credential(r, 0, s));
        Fetches.register("http_auth_pass", SampleType.STR, 0, (k, a, c) -> (r, all, s) -> credential(r, 1, s));
    }

    /**
     * {@code http_auth_group(L)}: for an ACL ({@code all}), every group of the authenticated user,
     * so the ACL matches when one is among its patterns; as a sample, the user name, as HAProxy.
     */
    static final class GroupFetch implements FetchFn {
        private final Userlist list;

        GroupFetch(Userlist list) {
            this.list = list;
        }

        @Override
        public boolean fetch(RequestView request, boolean all, SampleSink sink) {
            Userlist.User user = list.authenticate(authorization(request));
            if (user == null) {
                return false;
            }
            if (!all) {
                return sink.string(user.name(), 0, user.name().length());
            }
            for (String group : user.groups()) {
                if (sink.string(group, 0, group.length())) {
                    return true;
                }
            }
            return false;
        }

        /** HAProxy refuses an ACL that lists a group its userlist does not declare. */
        void checkGroups(List<String> patterns) {
            for (String group : patterns) {
                if (!list.hasGroup(group)) {
                    throw AclException.invalid("http_auth_group(" + list.name() + "): invalid group '" + group
                            + "' (userlist '" + list.name() + "' declares no such group)");
                }
            }
        }
    }

    /**
     * The schemes HAProxy 2.6 names (Basic and Bearer: it reports Digest as nothing, checked with
     * curl), spelled as it does whatever the client's case; others find nothing.
     */
    private static String known(String scheme) {
        if (scheme == null) {
            return null;
        }
        for (String name : KNOWN_SCHEMES) {
            if (name.equalsIgnoreCase(scheme)) {
                return name;
            }
        }
        return null;
    }

    private static Userlist userlist(String keyword, List<String> args, CompileContext c) {
        String name = args.isEmpty() ? null : args.get(0);
        if (name == null || name.isEmpty()) {
            throw AclException.invalid(c.keyword(keyword) + " : missing arguments (got 0/1), type 'user list' expected");
        }
        Userlist list = c.catalog().userlist(name);
        if (list == null) {
            throw AclException.invalid("unable to find userlist '" + name + "' referenced in arg 1 of ACL keyword '"
                    + keyword + "' in proxy '" + c.proxy() + "'");
        }
        return list;
    }

    /** The first {@code Authorization} header's value, or null. */
    private static CharSequence authorization(RequestView r) {
        int n = r.headerCount();
        for (int i = 0; i < n; i++) {
            CharSequence name = r.headerName(i);
            if (Text.equals(name, 0, name.length(), AUTHORIZATION, true)) {
                return r.headerValue(i);
            }
        }
        return null;
    }

    private static boolean credential(RequestView r, int part, SampleSink s) {
        CharSequence value = authorization(r);
        String[] credentials = value == null ? null : BasicCredentials.decode(value);
        return credentials != null && s.string(credentials[part], 0, credentials[part].length());
    }
}
