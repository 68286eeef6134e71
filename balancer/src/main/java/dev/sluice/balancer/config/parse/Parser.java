package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.lex.Environment;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.Global;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.ProxyKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the lines of every configuration file, in order, into the global settings and the list of
 * proxies. Sections, keyword dispatch and defaults inheritance live here; each keyword's own parser
 * lives in its table. An error refuses that line only, so every error of a run is reported.
 */
public final class Parser {

    private final Diagnostics diagnostics;
    private final GlobalDraft global = new GlobalDraft();
    private final List<ProxyDraft> proxies = new ArrayList<>();
    private final Map<String, ProxyDraft> namedDefaults = new HashMap<>();
    /** The defaults a proxy without {@code from} takes: the last one seen, across files as in HAProxy. */
    private ProxyDraft lastDefaults;
    private Section section = Section.NONE;
    private ProxyDraft current;
    /** {@code userlist} sections by name (see UserlistDraft); the first of a name wins, as in HAProxy. */
    private final Map<String, UserlistDraft> userlists = new java.util.LinkedHashMap<>();
    private UserlistDraft currentUserlist;
    /** {@code resolvers} sections by name; servers are linked to theirs once every file was read. */
    private final Map<String, ResolversDraft> resolvers = new HashMap<>();
    private ResolversDraft currentResolvers;
    /** {@code cache} sections by name (CacheDraft); rules name them with cache-use / cache-store. */
    private final Map<String, CacheDraft> caches = new java.util.LinkedHashMap<>();
    private CacheDraft currentCache;
    /** {@code http-errors} sections, which proxies name with errorfiles / http-error. */
    private final HttpErrorsSections httpErrors = new HttpErrorsSections();

    /** {@code peers} sections by name; resolved against the local peer's name once every file was read. */
    private final Map<String, PeersDraft> peers = new java.util.LinkedHashMap<>();
    private PeersDraft currentPeers;

    private enum Section { NONE, SKIPPED, GLOBAL, PROXY, USERLIST, RESOLVERS, HTTP_ERRORS, PEERS, CACHE }

    public Parser(Diagnostics diagnostics) {
        this(diagnostics, new Environment(Map.of()));
    }

    /** @param environment what {@code setenv} and its kin change, shared with the {@code Lexer} */
    public Parser(Diagnostics diagnostics, Environment environment) {
        this.diagnostics = diagnostics;
        this.global.environment = environment;
    }

    /** Parses one file's lines; a new file starts outside any section. */
    public void parseFile(List<Line> lines) {
        startFile();
        lines.forEach(this::parse);
    }

    /** A new file starts outside any section. */
    public void startFile() {
        section = Section.NONE;
        current = null;
    }

    /** Parses the next line of the current file; an error refuses that line only. */
    public void parse(Line line) {
        try {
            LoadKeywords.checkFile(global, line); // default-path: one base for every file (the line is still read)
        } catch (ConfigException e) {
            diagnostics.alert(line.location(), e.getMessage());
        }
        try {
            parseLine(line);
        } catch (ConfigException e) {
            diagnostics.alert(line.location(), e.getMessage());
        }
    }

    /** The global settings, after every file was parsed. */
    public Global global() {
        if (global.maxrewrite >= global.bufsize / 2) {
            int reduced = global.bufsize / 2;
            diagnostics.warning(global.bufsizeAt, "'tune.maxrewrite' " + global.maxrewrite + " is too large for "
                    + "'tune.bufsize' " + global.bufsize + "; reduced to " + reduced);
            global.maxrewrite = reduced;
        }
        return global.build();
    }

    /**
     * The {@code userlist} sections by name, after every file was parsed; a group or user naming an
     * undeclared user or group is reported to the diagnostics here.
     */
    public Map<String, dev.sluice.balancer.auth.Userlist> userlists() {
        Map<String, dev.sluice.balancer.auth.Userlist> built = new HashMap<>();
        userlists.forEach((name, draft) -> built.put(name, draft.build(diagnostics)));
        return Map.copyOf(built);
    }

    /**
     * The proxies in file order, after every file was parsed; each server with {@code resolvers} carries
     * its section, and one naming an unknown section is reported here at its line.
     */
    public List<Proxy> proxies() {
        Map<String, dev.sluice.balancer.runtime.ResolversPlan> built = new HashMap<>();
        resolvers.forEach((name, draft) -> built.put(name, draft.build()));
        for (ProxyDraft proxy : proxies) {
            proxy.servers.replaceAll(server -> linkResolvers(proxy, server, built));
            proxy.servers.replaceAll(server -> backendSource(proxy, server)); // SourceKeywords
        }
        Map<Integer, ProxyDraft> ids = new HashMap<>();
        for (ProxyDraft draft : proxies) {
            ProxyDraft other = draft.id == 0 ? null : ids.putIfAbsent(draft.id, draft);
            if (other != null) {
                diagnostics.alert(draft.location, draft.describe() + " has the same ID (" + draft.id + ") as "
                        + other.describe() + " declared at " + other.location + ".");
            }
        }
        return proxies.stream().map(draft -> {
            ErrorKeywords.resolve(draft, httpErrors, diagnostics); // errorfiles NAME: sections known now
            return draft.build();
        }).toList();
    }

    private dev.sluice.balancer.config.model.Server linkResolvers(ProxyDraft proxy,
            dev.sluice.balancer.config.model.Server server, Map<String, dev.sluice.balancer.runtime.ResolversPlan> built) {
        var resolution = server.options().resolution();
        if (resolution.resolversName().isEmpty() || resolution.resolvers().isPresent()) {
            return server;
        }
        var section = built.get(resolution.resolversName().get());
        if (section == null) {
            diagnostics.alert(server.location(), "'server " + proxy.name + "/" + server.name() + "' : unable to find "
                    + "required resolvers '" + resolution.resolversName().get() + "'");
            return server;
        }
        return new dev.sluice.balancer.config.model.Server(server.location(), server.name(), server.address(),
                server.id(), server.options().withResolution(resolution.withResolvers(java.util.Optional.of(section))));
    }

    /** A backend's {@code source} for a server that has none of its own (nor from default-server). */
    private static dev.sluice.balancer.config.model.Server backendSource(ProxyDraft proxy,
            dev.sluice.balancer.config.model.Server server) {
        if (!proxy.source.isSet() || server.options().source().isSet()) {
            return server;
        }
        return new dev.sluice.balancer.config.model.Server(server.location(), server.name(), server.address(),
                server.id(), server.options().withSource(proxy.source));
    }

    private void parseLine(Line line) throws ConfigException {
        String keyword = line.keyword();
        if (keyword.startsWith(".")) {
            throw new ConfigException("'" + keyword + "': conditional blocks and directives are not supported yet");
        }
        switch (keyword) {
            case "global" -> openGlobal(line);
            case "defaults" -> openDefaults(line);
            case "frontend" -> openProxy(line, ProxyKind.FRONTEND);
            case "backend" -> openProxy(line, ProxyKind.BACKEND);
            case "listen" -> openProxy(line, ProxyKind.LISTEN);
            case "userlist" -> openUserlist(line);
            case "resolvers" -> openResolvers(line);
            case "peers" -> openPeers(line);
            case "cache" -> openCache(line);
            case "http-errors" -> {
                section = Section.SKIPPED;
                httpErrors.open(line);
                global.proxySeen = true; // its files are read now: default-path must come first
                section = Section.HTTP_ERRORS;
            }
            default -> {
                if (Unsupported.SECTIONS.containsKey(keyword)) {
                    section = Section.SKIPPED;
                    throw new ConfigException("section '" + keyword + "' is not supported yet");
                }
                inSection(line);
            }
        }
    }

    private void inSection(Line line) throws ConfigException {
        switch (section) {
            case NONE -> throw new ConfigException("unknown keyword '" + line.keyword() + "' out of section");
            case SKIPPED -> {
                // The section's header was already refused; its lines add nothing but noise.
            }
            case USERLIST -> currentUserlist.apply(line, diagnostics);
            case RESOLVERS -> currentResolvers.apply(line, diagnostics);
            case PEERS -> currentPeers.apply(line, diagnostics);
            case CACHE -> currentCache.apply(line);
            case HTTP_ERRORS -> httpErrors.apply(line, global.baseDirectory);
            case GLOBAL -> dispatch(GlobalKeywords.TABLE, line, global, "'global' section", null);
            case PROXY -> dispatch(ProxyKeywords.TABLE, line, current,
                    "'" + (current.isDefaults() ? "defaults" : current.kind.keyword()) + "' section", current);
        }
    }

    private <T> void dispatch(KeywordTable<T> table, Line line, T target, String where, ProxyDraft proxy)
            throws ConfigException {
        Keyword<T> keyword = table.get(line.keyword());
        if (keyword == null) {
            throw new ConfigException(table.refusal(line.keyword(), where));
        }
        keyword.checkArity(line);
        if (proxy == null
                || Placement.applies(keyword.name(), keyword.scopes(), keyword.misplaced(), proxy, line, diagnostics)) {
            keyword.handler().apply(line, target, diagnostics);
        } else {
            // Ignored, as HAProxy does, but still parsed into a throwaway copy so that its errors show.
            @SuppressWarnings("unchecked")
            T scratch = (T) new ProxyDraft(line.location(), proxy.kind, proxy.name, proxy);
            ((ProxyDraft) scratch).tlsDefaults = global.serverTls;
            keyword.handler().apply(line, scratch, diagnostics);
        }
    }

    private void openGlobal(Line line) throws ConfigException {
        section = Section.GLOBAL;
        if (line.size() > 1) {
            throw new ConfigException("'global' cannot handle unexpected argument '" + line.word(1) + "'");
        }
    }

    /** {@code userlist NAME}: a second section of the same name is ignored with a warning, as in HAProxy. */
    private void openUserlist(Line line) throws ConfigException {
        section = Section.SKIPPED;
        if (line.size() != 2) {
            throw new ConfigException("'userlist' expects <name> as argument");
        }
        String name = line.word(1);
        Names.check(name, "'userlist' name");
        currentUserlist = new UserlistDraft(line.location(), name);
        if (userlists.putIfAbsent(name, currentUserlist) != null) {
            diagnostics.warning(line.location(), "ignoring duplicated userlist '" + name + "'");
        }
        section = Section.USERLIST;
    }

    /** {@code cache NAME}: a second section of the same name is refused, as HAProxy does. */
    private void openCache(Line line) throws ConfigException {
        section = Section.SKIPPED;
        if (line.size() != 2) {
            throw new ConfigException("'cache' expects <name> as argument");
        }
        String name = line.word(1);
        Names.check(name, "'cache' name");
        if (caches.containsKey(name)) {
            throw new ConfigException("Duplicate cache name '" + name + "'.");
        }
        currentCache = new CacheDraft(line.location(), name);
        caches.put(name, currentCache);
        section = Section.CACHE;
    }

    /**
     * The {@code cache} sections by name, each with its empty store, after every file was parsed; an
     * invalid section is reported here and left out (so a rule naming it is refused too).
     */
    public Map<String, dev.sluice.balancer.cache.ObjectCache> caches() {
        Map<String, dev.sluice.balancer.cache.ObjectCache> built = new HashMap<>();
        caches.forEach((name, draft) -> {
            var section = draft.build(diagnostics);
            if (section != null) {
                built.put(name, new dev.sluice.balancer.cache.ObjectCache(section));
            }
        });
        return Map.copyOf(built);
    }

    /** {@code resolvers NAME}: a second section of the same name is refused, as HAProxy does. */
    private void openResolvers(Line line) throws ConfigException {
        section = Section.SKIPPED;
        if (line.size() != 2) {
            throw new ConfigException("'resolvers' expects <name> as argument");
        }
        String name = line.word(1);
        Names.check(name, "'resolvers' name");
        ResolversDraft existing = resolvers.get(name);
        if (existing != null) {
            throw new ConfigException("resolvers section '" + name + "' has the same name as another resolvers "
                    + "section declared at " + existing.location);
        }
        currentResolvers = new ResolversDraft(line.location(), name);
        resolvers.put(name, currentResolvers);
        section = Section.RESOLVERS;
    }

    /** {@code peers NAME}: a second section of the same name is refused, as HAProxy does. */
    private void openPeers(Line line) throws ConfigException {
        section = Section.SKIPPED;
        if (line.size() < 2) {
            throw new ConfigException("missing name for peers section.");
        }
        if (line.size() > 2) {
            throw new ConfigException("'peers' expects <name> as the only argument");
        }
        String name = line.word(1);
        Names.check(name, "peers section name");
        PeersDraft existing = peers.get(name);
        if (existing != null) {
            throw new ConfigException("peers section '" + name + "' has the same name as another peers section "
                    + "declared at " + existing.location + ".");
        }
        currentPeers = new PeersDraft(line.location(), name);
        peers.put(name, currentPeers);
        section = Section.PEERS;
    }

    /**
     * The {@code peers} sections as the process named {@code commandLineName} ({@code -L}; null: the
     * global {@code localpeer}, else the host name, as in HAProxy) takes part in them, after every
     * file was parsed; a stick table naming an undeclared section is reported at its line.
     */
    public dev.sluice.balancer.config.model.PeersConfig peers(String commandLineName) {
        String localName = commandLineName != null ? commandLineName
                : global.localPeer != null ? global.localPeer : LocalPeerName.hostName();
        List<dev.sluice.balancer.config.model.PeersConfig.Section> active = new ArrayList<>();
        for (PeersDraft draft : peers.values()) {
            draft.resolve(localName, diagnostics).ifPresent(active::add);
        }
        for (ProxyDraft proxy : proxies) {
            var table = proxy.stick.table;
            if (table != null && table.peers().isPresent() && !peers.containsKey(table.peers().get())) {
                diagnostics.alert(proxy.stick.tableAt, "Proxy '" + proxy.name + "': unable to find sync peers '"
                        + table.peers().get() + "'.");
            }
        }
        return new dev.sluice.balancer.config.model.PeersConfig(peers.keySet(), active);
    }

    /** {@code defaults [NAME] [from OTHER]}. */
    private void openDefaults(Line line) throws ConfigException {
        section = Section.SKIPPED;
        String name = null;
        int from = 1;
        if (line.size() > 1 && !line.word(1).equals("from")) {
            name = line.word(1);
            Names.check(name, "'defaults' name");
            from = 2;
        }
        // A defaults section resets every default value, unless it names its parent with "from".
        ProxyDraft parent = null;
        if (line.size() > from) {
            parent = parent(line, from, name == null ? "defaults section" : "defaults section '" + name + "'");
        }
        current = new ProxyDraft(line.location(), null, name, parent);
        current.tlsDefaults = global.serverTls; // ca-base, ssl-default-server-*: read at each server line
        current.baseDirectory = global.baseDirectory; // default-path (LoadKeywords)
        global.proxySeen = true;
        section = Section.PROXY;
        lastDefaults = current;
        if (name != null) {
            namedDefaults.put(name, current);
        }
    }

    /** {@code frontend|backend|listen NAME [from DEFAULTS]}. */
    private void openProxy(Line line, ProxyKind kind) throws ConfigException {
        section = Section.SKIPPED;
        if (line.size() < 2) {
            throw new ConfigException("'" + kind.keyword() + "' expects <name> as argument");
        }
        String name = line.word(1);
        Names.check(name, "'" + kind.keyword() + "' name");
        ProxyDraft parent = lastDefaults;
        String refusal = null;
        if (line.size() > 2) {
            try {
                parent = parent(line, 2, kind.keyword() + " '" + name + "'");
            } catch (ConfigException e) {
                refusal = e.getMessage();
            }
        }
        current = new ProxyDraft(line.location(), kind, name, parent);
        current.tlsDefaults = global.serverTls; // ca-base, ssl-default-server-*: read at each server line
        current.baseDirectory = global.baseDirectory; // default-path (LoadKeywords)
        global.proxySeen = true;
        section = Section.PROXY;
        proxies.add(current);
        if (refusal != null) {
            // The section is still read so that its own errors are reported too.
            throw new ConfigException(refusal);
        }
    }

    private ProxyDraft parent(Line line, int from, String who) throws ConfigException {
        if (!line.word(from).equals("from") || line.size() != from + 2) {
            throw new ConfigException("'" + line.keyword() + "': unexpected argument '" + line.word(from)
                    + "' (expected: [name] [from <defaults_name>])");
        }
        ProxyDraft parent = namedDefaults.get(line.word(from + 1));
        if (parent == null) {
            throw new ConfigException("defaults section '" + line.word(from + 1) + "' not found for " + who);
        }
        return parent;
    }
}
