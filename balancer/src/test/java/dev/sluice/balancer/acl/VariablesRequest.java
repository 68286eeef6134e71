package dev.sluice.balancer.acl;

import dev.sluice.balancer.stick.StickTables;

/** A {@link TestRequest} with variables and stick tables, for the converters that read them. */
final class VariablesRequest implements RequestView {

    final TestRequest request;
    final Variables variables = new Variables();
    private final StickTables tables;

    VariablesRequest(TestRequest request, StickTables tables) {
        this.request = request;
        this.tables = tables;
    }

    VariablesRequest() {
        this(TestRequest.get("/"), StickTables.NONE);
    }

    VariablesRequest set(String name, Object value) {
        variables.set(name, value);
        return this;
    }

    @Override
    public Variables variables() {
        return variables;
    }

    @Override
    public StateView state() {
        StateView inner = request.state();
        return new StateView() {
            @Override
            public int usableServers(String backend) {
                return inner.usableServers(backend);
            }

            @Override
            public int backendConnections(String backend) {
                return inner.backendConnections(backend);
            }

            @Override
            public int frontendConnections(String frontend) {
                return inner.frontendConnections(frontend);
            }

            @Override
            public int connectionSlots(String backend) {
                return inner.connectionSlots(backend);
            }

            @Override
            public int queued(String backend) {
                return inner.queued(backend);
            }

            @Override
            public boolean serverUp(String backend, String server) {
                return inner.serverUp(backend, server);
            }

            @Override
            public StickTables stickTables() {
                return tables;
            }
        };
    }

    @Override
    public CharSequence method() {
        return request.method();
    }

    @Override
    public CharSequence uri() {
        return request.uri();
    }

    @Override
    public CharSequence version() {
        return request.version();
    }

    @Override
    public int headerCount() {
        return request.headerCount();
    }

    @Override
    public CharSequence headerName(int index) {
        return request.headerName(index);
    }

    @Override
    public CharSequence headerValue(int index) {
        return request.headerValue(index);
    }

    @Override
    public IpAddress source() {
        return request.source();
    }

    @Override
    public int sourcePort() {
        return request.sourcePort();
    }

    @Override
    public IpAddress destination() {
        return request.destination();
    }

    @Override
    public int destinationPort() {
        return request.destinationPort();
    }

    @Override
    public CharSequence proxyTlv(int type) {
        return request.proxyTlv(type);
    }

    @Override
    public boolean proxySsl() {
        return request.proxySsl();
    }

    @Override
    public CharSequence proxySslVersion() {
        return request.proxySslVersion();
    }

    @Override
    public CharSequence proxySslCipher() {
        return request.proxySslCipher();
    }
}
