package dev.sluice.balancer.config.check;

import dev.sluice.balancer.acl.AclCompiler;
import dev.sluice.balancer.acl.AclException;
import dev.sluice.balancer.acl.AclScope;
import dev.sluice.balancer.acl.Condition;
import dev.sluice.balancer.acl.ProxyCatalog;
import dev.sluice.balancer.config.Diagnostics;
import dev.sluice.balancer.config.SourceLocation;
import dev.sluice.balancer.config.model.AclLine;
import dev.sluice.balancer.config.model.BackendRef;
import dev.sluice.balancer.config.model.Mode;
import dev.sluice.balancer.config.model.Proxy;
import dev.sluice.balancer.config.model.TcpRequestRule;
import dev.sluice.balancer.config.model.RuleLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles every section's {@code acl} lines and {@code use_backend … if|unless} conditions with
 * the ACL engine, once the whole configuration is parsed (so {@code nbsrv(BE)} may name a backend
 * declared further down). Within a section the lines compile in file order: a condition names only
 * ACLs defined above it, as in HAProxy. A refusal becomes an ALERT at its line.
 */
public final class Conditions {

    private final Diagnostics diagnostics;
    private final AclCompiler compiler;
    private final List<Proxy> proxies;
    private final Path baseDirectory;
    private final Map<String, dev.sluice.balancer.auth.Userlist> userlists;
    private final Map<String, dev.sluice.balancer.cache.ObjectCache> caches;
    private final Map<SourceLocation, dev.sluice.balancer.rules.Rule> rules = new HashMap<>();
    private final Map<SourceLocation, dev.sluice.balancer.format.FormatString> backendNames = new HashMap<>();
    private final Map<SourceLocation, dev.sluice.balancer.log.LineFormat> logFormats = new HashMap<>();
    private final Map<SourceLocation, dev.sluice.balancer.log.LogExtrasPlan> logExtras = new HashMap<>();

    /** @param baseDirectory where relative {@code -f} pattern files resolve (HAProxy: its working directory) */
    public Conditions(Diagnostics diagnostics, Path baseDirectory, List<Proxy> proxies) {
        this(diagnostics, baseDirectory, proxies, Map.of());
    }

    /** @param userlists the {@code userlist} sections by name, which {@code http_auth(L)} may name */
    public Conditions(Diagnostics diagnostics, Path baseDirectory, List<Proxy> proxies,
                      Map<String, dev.sluice.balancer.auth.Userlist> userlists) {
        this(diagnostics, baseDirectory, proxies, userlists, Map.of());
    }

    /** @param caches the {@code cache} sections' stores by name, which cache-use / cache-store may name */
    public Conditions(Diagnostics diagnostics, Path baseDirectory, List<Proxy> proxies,
                      Map<String, dev.sluice.balancer.auth.Userlist> userlists,
                      Map<String, dev.sluice.balancer.cache.ObjectCache> caches) {
        this.diagnostics = diagnostics;
        this.userlists = Map.copyOf(userlists);
        this.caches = Map.copyOf(caches);
        this.compiler = new AclCompiler(baseDirectory, catalog(proxies));
        this.proxies = List.copyOf(proxies);
        this.baseDirectory = baseDirectory;
    }

    /** The compiled rule lines and dynamic {@code use_backend} names, after {@link #compile}. */
    public dev.sluice.balancer.config.model.CompiledRules rules() {
        return new dev.sluice.balancer.config.model.CompiledRules(rules, backendNames, logFormats, logExtras,
                compiler.patterns(), caches);
    }

    /** The compiled condition of every conditional {@code use_backend}, by the location of its line. */
    public Map<SourceLocation, Condition> compile(List<Proxy> proxies) {
        Map<SourceLocation, Condition> compiled = new HashMap<>();
        for (Proxy proxy : proxies) {
            compileSection(proxy, compiled);
        }
        return compiled;
    }

    private void compileSection(Proxy proxy, Map<SourceLocation, Condition> compiled) {
        AclScope scope = compiler.scope(proxy.name());
        // Fed in every frontend: tcp-request connection/session rules need it in http mode too; and in
        // tcp backends, whose content rules see no HTTP request either.
        boolean tcpMode = proxy.mode() == Mode.TCP;
        Layer4 layer4 = proxy.isFrontend() || tcpMode ? new Layer4() : null;
        List<Object> lines = new ArrayList<>(proxy.acls());
        proxy.useBackends().stream().filter(rule -> rule.condition().isPresent()).forEach(lines::add);
        lines.addAll(proxy.stick().tcpRequests());
        lines.addAll(proxy.stick().stickRules());
        lines.addAll(proxy.stick().tcpResponses().rules());
        lines.addAll(proxy.rules().lines());
        lines.addAll(proxy.options().tuning().monitorFail()); // monitor fail if|unless COND
        lines.addAll(proxy.dispatch().rules()); // use-server, force-persist, ignore-persist (DispatchRules)
        RuleLines ruleLines = new RuleLines(compiler, scope, proxy, baseDirectory, catalog(proxies)::hasTable,
                caches::get);
        for (BackendRef rule : proxy.useBackends()) {
            if (rule.backend().indexOf('%') >= 0) {
                compiler.at(rule.location().file(), rule.location().line());
                try {
                    backendNames.put(rule.location(), ruleLines.format(rule.backend()));
                } catch (RuntimeException e) {
                    diagnostics.alert(rule.location(), "'use_backend " + rule.backend() + "': " + e.getMessage());
                }
            }
        }
        if (proxy.isFrontend() && proxy.options().logFormat() == dev.sluice.balancer.config.model.LogFormat.CUSTOM) {
            compileLogFormat(proxy);
        }
        if (proxy.isFrontend() && !proxy.logging().extras().isEmpty()) {
            logExtras.put(proxy.location(), LogExtraFormats.compile(proxy, compiler, diagnostics));
        }
        // A section lives in one file, so the line number alone gives the written order.
        lines.sort(Comparator.comparingInt(line -> location(line).line()));
        for (Object line : lines) {
            int warningsBefore = scope.warnings().size();
            compiler.at(location(line).file(), location(line).line());
            try {
                switch (line) {
                    case AclLine acl -> {
                        scope.define(acl.words());
                        if (layer4 != null) {
                            layer4.define(acl.words());
                        }
                    }
                    case BackendRef rule -> {
                        var condition = rule.condition().orElseThrow();
                        Condition compiledCondition = scope.condition(condition.negated(), condition.words());
                        String httpFetch = layer4 == null || !tcpMode ? null : layer4.httpFetch(condition.words());
                        if (httpFetch != null) {
                            diagnostics.alert(rule.location(), "'use_backend " + rule.backend() + "' in tcp "
                                    + proxy.describe() + ": '" + httpFetch + "' needs the HTTP request, which a tcp "
                                    + "frontend does not parse; not supported yet (use layer-4 fetches such as src, "
                                    + "dst_port or ssl_fc_sni, or mode http).");
                        } else {
                            compiled.put(rule.location(), compiledCondition);
                        }
                    }
                    case dev.sluice.balancer.config.model.StickRule rule -> StickRules.compile(rule, proxy, scope,
                            proxies, diagnostics, compiled);
                    case TcpRequestRule rule -> StickRules.compile(rule, proxy, scope, layer4, proxies, diagnostics,
                            compiled);
                    case dev.sluice.balancer.config.model.TcpResponseRule rule -> TcpResponseLines.compile(rule, proxy,
                            scope, diagnostics, compiled);
                    case RuleLine rule -> {
                        var compiledRule = ruleLines.compile(rule);
                        if (compiledRule != null) {
                            rules.put(rule.location(), compiledRule);
                        }
                    }
                    case dev.sluice.balancer.config.model.Condition monitorFail -> compiled.put(monitorFail.location(),
                            scope.condition(monitorFail.negated(), monitorFail.words()));
                    case dev.sluice.balancer.config.model.DispatchLines.Line rule -> DispatchRules.compile(rule, proxy,
                            scope, diagnostics, compiled);
                    default -> throw new IllegalStateException("not a condition line: " + line);
                }
            } catch (AclException e) {
                diagnostics.alert(location(line), message(line, e));
            } catch (dev.sluice.balancer.rules.RuleException e) {
                diagnostics.alert(location(line), e.getMessage());
            }
            List<String> warnings = scope.warnings();
            for (int i = warningsBefore; i < warnings.size(); i++) {
                diagnostics.warning(location(line), warnings.get(i));
            }
        }
    }

    /** The frontend's own {@code log-format}, its samples read with the section's ACL engine. */
    private void compileLogFormat(Proxy proxy) {
        var logging = proxy.logging();
        try {
            logFormats.put(proxy.location(), dev.sluice.balancer.log.LineFormat.compile(logging.logFormat(),
                    text -> compiler.sampleExpression(text, proxy.name()), proxy.mode() == Mode.HTTP));
        } catch (RuntimeException e) {
            // A line from a defaults section (above this one) names the section that uses it.
            SourceLocation at = logging.logFormatAt();
            boolean inherited = at != null && (!at.file().equals(proxy.location().file())
                    || at.line() < proxy.location().line());
            String where = inherited ? " (used by " + proxy.describe() + ")" : "";
            diagnostics.alert(logging.logFormatAt() == null ? proxy.location() : logging.logFormatAt(),
                    "'log-format': " + e.getMessage() + where);
        }
    }

    private static SourceLocation location(Object line) {
        return switch (line) {
            case AclLine acl -> acl.location();
            case TcpRequestRule rule -> rule.location();
            case dev.sluice.balancer.config.model.TcpResponseRule rule -> rule.location();
            case dev.sluice.balancer.config.model.StickRule rule -> rule.location();
            case RuleLine rule -> rule.location();
            case dev.sluice.balancer.config.model.Condition monitorFail -> monitorFail.location();
            case dev.sluice.balancer.config.model.DispatchLines.Line rule -> rule.location();
            default -> ((BackendRef) line).location();
        };
    }

    /** HAProxy's wording, ending with a period; an unsupported construct says so. */
    private static String message(Object line, AclException e) {
        String text = e.getMessage();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (line instanceof BackendRef rule) {
            text = "'use_backend " + rule.backend() + "': error detected while parsing switching rule : " + text;
        }
        if (line instanceof TcpRequestRule rule) {
            text = "'" + rule.describe() + "': " + text;
        }
        if (line instanceof dev.sluice.balancer.config.model.TcpResponseRule rule) {
            text = "'" + rule.describe() + "': " + text;
        }
        if (line instanceof dev.sluice.balancer.config.model.StickRule rule) {
            text = "'" + rule.describe() + "': " + text;
        }
        if (line instanceof RuleLine rule) {
            text = "'" + rule.keyword() + " " + rule.words().get(0) + "': " + text;
        }
        if (line instanceof dev.sluice.balancer.config.model.DispatchLines.Line rule) {
            text = "'" + rule.describe() + "': " + text;
        }
        if (line instanceof dev.sluice.balancer.config.model.Condition) {
            text = "'monitor fail': " + text;
        }
        return text + (e.kind() == AclException.Kind.UNSUPPORTED ? " (valid HAProxy, not supported yet)." : ".");
    }

    private ProxyCatalog catalog(List<Proxy> proxies) {
        return new ProxyCatalog() {
            @Override
            public boolean hasBackend(String name) {
                return proxies.stream().anyMatch(p -> p.isBackend() && p.name().equals(name));
            }

            @Override
            public boolean hasFrontend(String name) {
                return proxies.stream().anyMatch(p -> p.isFrontend() && p.name().equals(name));
            }

            @Override
            public boolean hasTable(String name) {
                return proxies.stream().anyMatch(p -> p.name().equals(name) && p.stick().table().isPresent());
            }

            @Override
            public dev.sluice.balancer.auth.Userlist userlist(String name) {
                return userlists.get(name);
            }

            @Override
            public boolean hasServer(String backend, String server) {
                return proxies.stream().anyMatch(p -> p.isBackend() && p.name().equals(backend)
                        && p.servers().stream().anyMatch(s -> s.name().equals(server)));
            }
        };
    }
}
