package dev.sluice.balancer.config.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A whole configuration (every {@code -f} file together), after parsing and the semantic checks. */
public record Config(Global global, List<Proxy> proxies) {

    public Config {
        Objects.requireNonNull(global, "global");
        proxies = List.copyOf(proxies);
    }

    public List<Proxy> frontends() {
        return proxies.stream().filter(Proxy::isFrontend).toList();
    }

    public List<Proxy> backends() {
        return proxies.stream().filter(Proxy::isBackend).toList();
    }

    /** The proxy with backend capability called {@code name}. */
    public Optional<Proxy> backend(String name) {
        return proxies.stream().filter(p -> p.isBackend() && p.name().equals(name)).findFirst();
    }
}
