package dev.sluice.balancer.config.parse;

import dev.sluice.balancer.config.ConfigException;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.lex.Line;
import dev.sluice.balancer.config.model.PeersConfig;
import dev.sluice.balancer.runtime.PeersPlan;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code peers NAME} section while its lines are read (HAProxy 2.6, configuration.txt 3.5):
 * {@code peer NAME ADDR:PORT}, or the 2.0 form {@code bind ADDR:PORT} with {@code server NAME} for
 * the local peer and {@code server NAME ADDR:PORT} for the others; {@code disabled} and
 * {@code enabled}. Which peer is local is known only once the local name is (see {@link #resolve}).
 */
final class PeersDraft {

    /** Server settings HAProxy 2.6 ignores on peers with a warning. */
    private static final Set<String> IGNORED_PARAMS = Set.of("check", "init-addr", "resolvers", "agent-check");
    /** Keywords of a peers section HAProxy 2.6 knows that Sluice does not implement. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "table", "declare the table in a backend with 'stick-table ... peers " + "<section>'",
            "default-server", "peers take no server settings",
            "default-bind", "peers take no bind settings",
            "log", "peers sessions are logged to the process log only");

    final SourceLocation location;
    final String name;
    private boolean disabled;
    /** Peers by name: an address, or none for the local peer of the bind/server form. */
    private final Map<String, Declared> peers = new LinkedHashMap<>();
    private InetSocketAddress bind;
    private SourceLocation bindAt;

    private record Declared(SourceLocation location, String keyword, Optional<InetSocketAddress> address) {
    }

    PeersDraft(SourceLocation location, String name) {
        this.location = location;
        this.name = name;
    }

    void apply(Line line, Diagnostics diagnostics) throws ConfigException {
        String keyword = line.keyword();
        switch (keyword) {
            case "peer", "server" -> peer(line, diagnostics);
            case "bind" -> {
                if (line.size() < 2) {
                    throw new ConfigException("'bind' expects <addr:port> as argument");
                }
                if (line.size() > 2) {
                    throw new ConfigException("'bind " + line.word(1) + "': bind settings ('" + line.word(2)
                            + "') are not supported yet in peers sections");
                }
                if (bind != null) {
                    throw new ConfigException("'bind': only one bind per peers section (one is declared at " + bindAt
                            + ")");
                }
                bind = Addresses.peer(line.word(1), "bind");
                bindAt = line.location();
            }
            case "disabled" -> {
                arity(line);
                disabled = true;
            }
            case "enabled" -> {
                arity(line);
                disabled = false;
            }
            default -> {
                String reason = UNSUPPORTED.get(keyword);
                if (reason != null) {
                    throw new ConfigException("'" + keyword + "' is not supported yet in 'peers' section (" + reason
                            + ")");
                }
                throw new ConfigException("unknown keyword '" + keyword + "' in 'peers' section");
            }
        }
    }

    private static void arity(Line line) throws ConfigException {
        if (line.size() > 1) {
            throw new ConfigException("'" + line.keyword() + "' takes no argument");
        }
    }

    /** {@code peer NAME ADDR:PORT [ignored settings]} and {@code server NAME [ADDR:PORT]}. */
    private void peer(Line line, Diagnostics diagnostics) throws ConfigException {
        String keyword = line.keyword();
        if (line.size() < 2) {
            throw new ConfigException("'" + keyword + "' expects <name> as argument");
        }
        String peer = line.word(1);
        Names.check(peer, "peer name");
        Declared seen = peers.get(peer);
        if (seen != null) {
            throw new ConfigException("'" + keyword + " " + peer + "' : peer name already declared at "
                    + seen.location());
        }
        Optional<InetSocketAddress> address = Optional.empty();
        int next = 2;
        if (keyword.equals("peer") || line.size() > 2 && !line.word(2).matches("[a-z-]+")) {
            if (line.size() < 3) {
                throw new ConfigException("'peer " + peer + "' expects <addr:port> after the name");
            }
            address = Optional.of(Addresses.peer(line.word(2), keyword + " " + peer));
            next = 3;
        }
        for (int i = next; i < line.size(); i++) {
            String word = line.word(i);
            if (IGNORED_PARAMS.contains(word)) {
                diagnostics.warning(line.location(), "'" + keyword + " " + peer + "' : init_addr, resolvers, check "
                        + "and agent are ignored for peers.");
                if (!word.equals("check")) {
                    i++;
                }
            } else {
                throw new ConfigException("'" + keyword + " " + peer + "': setting '" + word + "' is not supported "
                        + "yet for peers");
            }
        }
        peers.put(peer, new Declared(line.location(), keyword, address));
    }

    /**
     * The section as this process takes part in it, named {@code localName}; empty, with HAProxy's
     * warning, when it is disabled or does not name the local peer (its tables stay local).
     */
    Optional<PeersConfig.Section> resolve(String localName, Diagnostics diagnostics) {
        if (disabled) {
            return Optional.empty();
        }
        Declared local = peers.get(localName);
        if (local == null) {
            diagnostics.warning(location, "Removing incomplete section 'peers " + name + "' (no peer named '"
                    + localName + "').");
            return Optional.empty();
        }
        InetSocketAddress listen = local.address().orElse(bind);
        if (listen == null) {
            diagnostics.alert(local.location(), "'server " + localName + "' : the local peer has no address: give it "
                    + "one, or add a 'bind' line to peers section '" + name + "'");
            return Optional.empty();
        }
        List<PeersPlan.Remote> remotes = new ArrayList<>();
        boolean complete = true;
        for (Map.Entry<String, Declared> e : peers.entrySet()) {
            if (e.getKey().equals(localName)) {
                continue;
            }
            if (e.getValue().address().isEmpty()) {
                diagnostics.alert(e.getValue().location(), "'server " + e.getKey() + "' : missing address (only the "
                        + "local peer '" + localName + "' may be declared without one)");
                complete = false;
                continue;
            }
            remotes.add(new PeersPlan.Remote(e.getKey(), e.getValue().address().get()));
        }
        if (!complete) {
            return Optional.empty();
        }
        return Optional.of(new PeersConfig.Section(location, name, localName, listen, remotes));
    }
}
