package dev.sluice.balancer.acl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A plain in-memory request for tests: what the engine's view offers, filled by hand. */
final class TestRequest implements RequestView {

    String method = "GET";
    String uri = "/";
    String version = "1.1";
    final List<String[]> headers = new ArrayList<>();
    IpAddress source = IpAddress.parse("192.0.2.10");
    int sourcePort = 40000;
    IpAddress destination = IpAddress.parse("198.51.100.1");
    int destinationPort = 443;
    final Map<Integer, String> tlvs = new HashMap<>();
    boolean ssl;
    String sslVersion;
    String sslCipher;
    final TestState state = new TestState();
    /** The inspected first bytes of a tcp connection (content inspection), or null. */
    Payload payload;
    /** The server's inspected first bytes (tcp-response content), or null. */
    Payload responsePayload;

    static TestRequest get(String uri) {
        TestRequest r = new TestRequest();
        r.uri = uri;
        return r;
    }

    TestRequest method(String m) {
        method = m;
        return this;
    }

    TestRequest header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    TestRequest source(String address) {
        source = address == null ? null : IpAddress.parse(address);
        return this;
    }

    @Override
    public CharSequence method() {
        return method;
    }

    @Override
    public CharSequence uri() {
        return uri;
    }

    @Override
    public CharSequence version() {
        return version;
    }

    @Override
    public int headerCount() {
        return headers.size();
    }

    @Override
    public CharSequence headerName(int index) {
        return headers.get(index)[0];
    }

    @Override
    public CharSequence headerValue(int index) {
        return headers.get(index)[1];
    }

    @Override
    public IpAddress source() {
        return source;
    }

    @Override
    public int sourcePort() {
        return sourcePort;
    }

    @Override
    public IpAddress destination() {
        return destination;
    }

    @Override
    public int destinationPort() {
        return destinationPort;
    }

    @Override
    public CharSequence proxyTlv(int type) {
        return tlvs.get(type);
    }

    @Override
    public boolean proxySsl() {
        return ssl;
    }

    @Override
    public CharSequence proxySslVersion() {
        return sslVersion;
    }

    @Override
    public CharSequence proxySslCipher() {
        return sslCipher;
    }

    @Override
    public StateView state() {
        return state;
    }

    @Override
    public Payload responsePayload() {
        return responsePayload;
    }

    @Override
    public Payload payload() {
        return payload;
    }

    /** Backend figures by name; the name "" stands for the current backend (a null argument). */
    static final class TestState implements StateView {
        final Map<String, Integer> usable = new HashMap<>();
        final Map<String, Integer> backendConnections = new HashMap<>();
        final Map<String, Integer> frontendConnections = new HashMap<>();
        final Map<String, Integer> slots = new HashMap<>();
        final Map<String, Integer> queued = new HashMap<>();
        final Set<String> up = new HashSet<>();

        private static String key(String name) {
            return name == null ? "" : name;
        }

        @Override
        public int usableServers(String backend) {
            return usable.getOrDefault(key(backend), 0);
        }

        @Override
        public int backendConnections(String backend) {
            return backendConnections.getOrDefault(key(backend), 0);
        }

        @Override
        public int frontendConnections(String frontend) {
            return frontendConnections.getOrDefault(key(frontend), 0);
        }

        @Override
        public int connectionSlots(String backend) {
            return slots.getOrDefault(key(backend), 0);
        }

        @Override
        public int queued(String backend) {
            return queued.getOrDefault(key(backend), 0);
        }

        @Override
        public boolean serverUp(String backend, String server) {
            return up.contains(key(backend) + "/" + server);
        }
    }
}
