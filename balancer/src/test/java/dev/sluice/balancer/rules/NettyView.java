package dev.sluice.balancer.rules;

import dev.sluice.balancer.acl.IpAddress;
import dev.sluice.balancer.acl.RequestView;
import dev.sluice.balancer.acl.StateView;
import dev.sluice.balancer.acl.Variables;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A request view over a Netty request with a fixed client address, for tests without sockets. */
public final class NettyView implements RequestView {
    private static final StateView NO_STATE = new StateView() {
        @Override
        public int usableServers(String backend) {
            return 1;
        }

        @Override
        public int backendConnections(String backend) {
            return 0;
        }

        @Override
        public int frontendConnections(String frontend) {
            return 3;
        }

        @Override
        public int connectionSlots(String backend) {
            return 0;
        }

        @Override
        public int queued(String backend) {
            return 0;
        }

        @Override
        public boolean serverUp(String backend, String server) {
            return true;
        }
    };

    private final Variables variables = new Variables();
    private HttpRequest request;
    private List<Map.Entry<String, String>> lines = List.of();

    public NettyView(HttpRequest request) {
        show(request);
    }

    /** Re-reads the request's headers (what the engine's view does after a rule changed them). */
    public void show(HttpRequest current) {
        request = current;
        lines = new ArrayList<>(current.headers().entries());
    }

    @Override
    public CharSequence method() {
        return request.method().name();
    }

    @Override
    public CharSequence uri() {
        return request.uri();
    }

    @Override
    public CharSequence version() {
        return "1.1";
    }

    @Override
    public int headerCount() {
        return lines.size();
    }

    @Override
    public CharSequence headerName(int index) {
        return lines.get(index).getKey();
    }

    @Override
    public CharSequence headerValue(int index) {
        return lines.get(index).getValue();
    }

    @Override
    public IpAddress source() {
        return IpAddress.parse("192.0.2.7");
    }

    @Override
    public int sourcePort() {
        return 40123;
    }

    @Override
    public IpAddress destination() {
        return IpAddress.parse("198.51.100.1");
    }

    @Override
    public int destinationPort() {
        return 80;
    }

    @Override
    public CharSequence proxyTlv(int type) {
        return null;
    }

    @Override
    public boolean proxySsl() {
        return false;
    }

    @Override
    public CharSequence proxySslVersion() {
        return null;
    }

    @Override
    public CharSequence proxySslCipher() {
        return null;
    }

    @Override
    public StateView state() {
        return NO_STATE;
    }

    @Override
    public Variables variables() {
        return variables;
    }
}
